// Signer keys and minisign signatures: round trips, every tamper case, and interoperability
// with the stock `minisign` tool in both directions.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <vector>

#include "crypto/envelope.h"
#include "crypto/signing_internal.h"
#include "testing/test_util.h"
#include "tvault/keys.h"
#include "tvault/signing.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::ReadFileOrDie;
using testing::TempDir;
using testing::WriteFileOrDie;

// ---- Helpers ---------------------------------------------------------------------------

SignerSecretKey NewKey() {
  auto key = SignerSecretKey::Generate();
  EXPECT_TRUE(key.ok()) << key.status().message();
  return std::move(key).value();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

std::string B64Encode(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const uint8_t*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string B64Decode(const std::string& b64) {
  std::string out(b64.size(), '\0');
  size_t len = 0;
  EXPECT_EQ(0, sodium_base642bin(reinterpret_cast<uint8_t*>(out.data()), out.size(), b64.data(),
                                 b64.size(), nullptr, &len, nullptr,
                                 sodium_base64_VARIANT_ORIGINAL));
  out.resize(len);
  return out;
}

// Returns `sig_text` with byte `index` of the base64 blob on line `line` (0-based) XORed.
std::string FlipBlobByte(const std::string& sig_text, size_t line, size_t index) {
  std::vector<std::string> lines = Lines(sig_text);
  std::string blob = B64Decode(lines[line]);
  blob[index] = static_cast<char>(blob[index] ^ 0x01);
  lines[line] = B64Encode(blob);
  return Join(lines);
}

struct Verdict {
  Code code;
  std::string message;
};

Verdict Verify(const SignerPublicKey& key, const std::string& message, const std::string& sig) {
  auto r = VerifyMinisign(key, message, sig);
  if (r.ok()) return {Code::kOk, *r};
  return {r.status().code(), r.status().message()};
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- Stock minisign --------------------------------------------------------------------

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Shell {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

Shell RunShell(const std::string& command) {
  Shell r;
  FILE* p = ::popen((command + " </dev/null 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return r;
}

bool HaveMinisign() {
  return std::system("command -v minisign >/dev/null 2>&1") == 0;
}

#define REQUIRE_MINISIGN() \
  if (!HaveMinisign()) GTEST_SKIP() << "the minisign tool is not installed"

// Makes an unencrypted stock minisign key pair <dir>/k.pub, <dir>/k.key.
void StockKeyPair(const TempDir& dir) {
  Shell g = RunShell("minisign -G -W -p " + Quote(dir / "k.pub") + " -s " + Quote(dir / "k.key"));
  ASSERT_EQ(g.exit_code, 0) << g.output;
}

// ---- Key ids and public keys -------------------------------------------------------------

TEST(SignerPublicKey, KeyIdHexIsLittleEndianUpperCaseLikeMinisign) {
  std::array<uint8_t, kSignerPublicKeySize> pk{};
  SignerPublicKey a({0xa6, 0xc4, 0xe9, 0xfe, 0x60, 0x54, 0x82, 0xf1}, pk);
  EXPECT_EQ(a.KeyIdHex(), "F1825460FEE9C4A6");
  // minisign prints with "%lX": no leading zeros.
  SignerPublicKey b({0x31, 0xa1, 0xfb, 0x16, 0x38, 0x0b, 0x9b, 0x00}, pk);
  EXPECT_EQ(b.KeyIdHex(), "9B0B3816FBA131");
}

TEST(SignerPublicKey, KeyIdIsDerivedFromThePublicKey) {
  SignerSecretKey key = NewKey();
  const auto& pk = key.public_key().bytes();
  uint8_t h[32];
  std::string input = std::string("tvault signer key id") +
                      std::string(reinterpret_cast<const char*>(pk.data()), pk.size());
  crypto_generichash(h, sizeof h, reinterpret_cast<const uint8_t*>(input.data()), input.size(),
                     nullptr, 0);
  EXPECT_EQ(0, std::memcmp(key.public_key().key_id().data(), h, kSignerKeyIdSize));
  EXPECT_EQ(key.public_key().key_id(), DeriveSignerKeyId(pk));
}

TEST(SignerPublicKey, MinisignTextRoundTrip) {
  SignerSecretKey key = NewKey();
  std::string text = key.public_key().ToMinisignText("hello");
  std::vector<std::string> lines = Lines(text);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "untrusted comment: hello");
  std::string blob = B64Decode(lines[1]);
  ASSERT_EQ(blob.size(), 42u);
  EXPECT_EQ(blob.substr(0, 2), "Ed");
  EXPECT_EQ(0, std::memcmp(blob.data() + 2, key.public_key().key_id().data(), 8));
  EXPECT_EQ(0, std::memcmp(blob.data() + 10, key.public_key().bytes().data(), 32));

  auto back = SignerPublicKey::FromMinisignText(text);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, key.public_key());
  // CR-LF line ends, no final newline (the stock tool accepts both).
  EXPECT_EQ(*SignerPublicKey::FromMinisignText(lines[0] + "\r\n" + lines[1] + "\r\n"),
            key.public_key());
  EXPECT_EQ(*SignerPublicKey::FromMinisignText(lines[0] + "\n" + lines[1]), key.public_key());
  // A comment with a newline cannot break the file.
  EXPECT_EQ(*SignerPublicKey::FromMinisignText(key.public_key().ToMinisignText("a\nb\rc")),
            key.public_key());
}

TEST(SignerPublicKey, RejectsWhatIsNotAMinisignPublicKey) {
  SignerSecretKey key = NewKey();
  std::vector<std::string> lines = Lines(key.public_key().ToMinisignText("c"));
  auto bad = [](const std::string& text) {
    auto r = SignerPublicKey::FromMinisignText(text);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    return r.status().message();
  };
  EXPECT_TRUE(Contains(bad(""), "empty"));
  // The base64 line alone is what `minisign -P` takes on the command line, not a key file:
  // the stock tool refuses it as a file (MinisignInterop.BareBase64LineIsNotAKeyFile).
  EXPECT_TRUE(Contains(bad(lines[1]), "two lines")) << bad(lines[1]);
  EXPECT_TRUE(Contains(bad(lines[1] + "\n"), "two lines"));
  EXPECT_TRUE(Contains(bad(lines[0] + "\n"), "two lines"));
  EXPECT_TRUE(Contains(bad("comment: x\n" + lines[1] + "\n"), "untrusted comment"));
  EXPECT_TRUE(Contains(bad(lines[0] + "\n!!notbase64!!\n"), "base64"));
  EXPECT_TRUE(Contains(bad(lines[0] + "\n" + lines[1].substr(0, 40) + "\n"), "base64"));
  EXPECT_TRUE(Contains(bad(lines[0] + "\n" + lines[1] + "\nmore\n"), "after line 2"));
  std::string blob = B64Decode(lines[1]);
  blob[1] = 'D';  // "ED" is a signature algorithm, not a key algorithm
  EXPECT_TRUE(Contains(bad(lines[0] + "\n" + B64Encode(blob) + "\n"), "algorithm"));
  // An age recipient (an org.pub) is not a signer key.
  EXPECT_FALSE(SignerPublicKey::FromMinisignText(
                   "# tvault organisation public key\n"
                   "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n")
                   .ok());
}

TEST(SignerPublicKey, ReadFileNamesThePath) {
  TempDir dir;
  WriteFileOrDie(dir / "x.pub", "not a key\n");
  auto r = SignerPublicKey::ReadFile(dir / "x.pub");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status().message(), dir / "x.pub"));
  EXPECT_EQ(SignerPublicKey::ReadFile(dir / "missing.pub").status().code(), Code::kNotFound);
}

// ---- Signing and verifying ---------------------------------------------------------------

TEST(Signing, RoundTripAndFormat) {
  SignerSecretKey key = NewKey();
  const std::string message("report body\n\0\xff binary too", 25);
  auto sig = key.Sign(message, "timestamp:1700000000\tfile:report.pdf");
  ASSERT_TRUE(sig.ok()) << sig.status().message();
  std::vector<std::string> lines = Lines(*sig);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(sig->back(), '\n');
  EXPECT_EQ(lines[0].rfind("untrusted comment: ", 0), 0u);
  EXPECT_EQ(lines[2], "trusted comment: timestamp:1700000000\tfile:report.pdf");

  std::string blob = B64Decode(lines[1]);
  ASSERT_EQ(blob.size(), 74u);
  EXPECT_EQ(blob.substr(0, 2), "ED");
  EXPECT_EQ(0, std::memcmp(blob.data() + 2, key.public_key().key_id().data(), 8));
  // The signature is Ed25519 over BLAKE2b-512(message).
  uint8_t hash[64];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const uint8_t*>(message.data()),
                     message.size(), nullptr, 0);
  EXPECT_EQ(0, crypto_sign_verify_detached(reinterpret_cast<const uint8_t*>(blob.data() + 10),
                                           hash, sizeof hash, key.public_key().bytes().data()));
  // The global signature is Ed25519 over signature || trusted comment.
  std::string global = B64Decode(lines[3]);
  ASSERT_EQ(global.size(), 64u);
  std::string signed_comment = blob.substr(10) + "timestamp:1700000000\tfile:report.pdf";
  EXPECT_EQ(0, crypto_sign_verify_detached(
                   reinterpret_cast<const uint8_t*>(global.data()),
                   reinterpret_cast<const uint8_t*>(signed_comment.data()), signed_comment.size(),
                   key.public_key().bytes().data()));

  Verdict v = Verify(key.public_key(), message, *sig);
  EXPECT_EQ(v.code, Code::kOk) << v.message;
  EXPECT_EQ(v.message, "timestamp:1700000000\tfile:report.pdf");
}

TEST(Signing, EmptyMessageAndEmptyAndLongestTrustedComment) {
  SignerSecretKey key = NewKey();
  Verdict v = Verify(key.public_key(), "", *key.Sign("", ""));
  EXPECT_EQ(v.code, Code::kOk) << v.message;
  EXPECT_EQ(v.message, "");
  std::string longest(kMaxTrustedCommentSize, 'c');
  v = Verify(key.public_key(), "m", *key.Sign("m", longest));
  EXPECT_EQ(v.code, Code::kOk) << v.message;
  EXPECT_EQ(v.message, longest);
}

TEST(Signing, SignRejectsMultiLineAndOverlongTrustedComments) {
  SignerSecretKey key = NewKey();
  for (const std::string& bad :
       {std::string("a\nb"), std::string("a\rb"), std::string("a\0b", 3), std::string("end\n")}) {
    auto r = key.Sign("m", bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_TRUE(Contains(r.status().message(), "one line"));
  }
  auto r = key.Sign("m", std::string(kMaxTrustedCommentSize + 1, 'c'));
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
}

TEST(Signing, AcceptsCrLfLineEndsAndNoFinalNewline) {
  SignerSecretKey key = NewKey();
  std::string sig = *key.Sign("m", "tc");
  std::string crlf;
  for (const std::string& l : Lines(sig)) crlf += l + "\r\n";
  EXPECT_EQ(Verify(key.public_key(), "m", crlf).message, "tc");
  EXPECT_EQ(Verify(key.public_key(), "m", sig.substr(0, sig.size() - 1)).message, "tc");
}

TEST(Signing, AcceptsLegacyPureSignatures) {
  // A legacy ("Ed") signature is Ed25519 over the message itself; build one by hand.
  uint8_t pk[32], sk[64];
  crypto_sign_keypair(pk, sk);
  SignerKeyId id = {1, 2, 3, 4, 5, 6, 7, 8};
  std::array<uint8_t, 32> pk_array;
  std::memcpy(pk_array.data(), pk, 32);
  SignerPublicKey pub(id, pk_array);
  std::string message = "legacy message";
  uint8_t sig[64];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const uint8_t*>(message.data()),
                       message.size(), sk);
  std::string blob = "Ed" + std::string(id.begin(), id.end()) +
                     std::string(reinterpret_cast<const char*>(sig), 64);
  std::string signed_comment = std::string(reinterpret_cast<const char*>(sig), 64) + "old";
  uint8_t global[64];
  crypto_sign_detached(global, nullptr, reinterpret_cast<const uint8_t*>(signed_comment.data()),
                       signed_comment.size(), sk);
  std::string text = "untrusted comment: x\n" + B64Encode(blob) + "\ntrusted comment: old\n" +
                     B64Encode(std::string(reinterpret_cast<const char*>(global), 64)) + "\n";
  Verdict v = Verify(pub, message, text);
  EXPECT_EQ(v.code, Code::kOk) << v.message;
  EXPECT_EQ(v.message, "old");
  // The same signature claimed as prehashed ("ED") does not verify.
  blob[1] = 'D';
  std::vector<std::string> lines = Lines(text);
  lines[1] = B64Encode(blob);
  v = Verify(pub, message, Join(lines));
  EXPECT_EQ(v.code, Code::kDamaged);
  EXPECT_TRUE(Contains(v.message, "signature verification failed")) << v.message;
  sodium_memzero(sk, sizeof sk);
}

// ---- Every tamper case ---------------------------------------------------------------------

class Tamper : public ::testing::Test {
 protected:
  Tamper() : key_(NewKey()), sig_(*key_.Sign(message_, "trusted words")) {}

  Verdict Check(const std::string& sig, const std::string& message) {
    return Verify(key_.public_key(), message, sig);
  }
  Verdict Check(const std::string& sig) { return Check(sig, message_); }

  std::string message_ = "The testimony of 2024-05-01, as exported.";
  SignerSecretKey key_;
  std::string sig_;
};

TEST_F(Tamper, Untouched) { EXPECT_EQ(Check(sig_).code, Code::kOk); }

TEST_F(Tamper, EveryMessageByteChanged) {
  for (size_t i = 0; i < message_.size(); ++i) {
    std::string m = message_;
    m[i] = static_cast<char>(m[i] ^ 0x20);
    Verdict v = Check(sig_, m);
    EXPECT_EQ(v.code, Code::kDamaged) << i;
    EXPECT_EQ(v.message, "signature verification failed: the file or its signature was altered");
  }
  EXPECT_EQ(Check(sig_, message_ + "x").code, Code::kDamaged);
  EXPECT_EQ(Check(sig_, message_.substr(1)).code, Code::kDamaged);
}

TEST_F(Tamper, EverySignatureByteChanged) {
  for (size_t i = 10; i < 74; ++i) {
    Verdict v = Check(FlipBlobByte(sig_, 1, i));
    EXPECT_EQ(v.code, Code::kDamaged) << i;
    EXPECT_TRUE(Contains(v.message, "signature verification failed")) << i << v.message;
  }
}

TEST_F(Tamper, AlgorithmChanged) {
  Verdict v = Check(FlipBlobByte(sig_, 1, 0));
  EXPECT_EQ(v.code, Code::kDamaged);
  EXPECT_TRUE(Contains(v.message, "unsupported signature algorithm")) << v.message;
  // "ED" -> "Ed": a prehashed signature checked as a legacy one fails.
  std::vector<std::string> lines = Lines(sig_);
  std::string blob = B64Decode(lines[1]);
  blob[1] = 'd';
  lines[1] = B64Encode(blob);
  v = Check(Join(lines));
  EXPECT_EQ(v.code, Code::kDamaged);
  EXPECT_TRUE(Contains(v.message, "signature verification failed")) << v.message;
}

TEST_F(Tamper, TrustedCommentChanged) {
  std::vector<std::string> lines = Lines(sig_);
  for (const std::string& changed :
       {std::string("trusted comment: trusted word"), std::string("trusted comment: Trusted words"),
        std::string("trusted comment: trusted words "), std::string("trusted comment: ")}) {
    lines[2] = changed;
    Verdict v = Check(Join(lines));
    EXPECT_EQ(v.code, Code::kDamaged) << changed;
    EXPECT_EQ(v.message,
              "trusted comment signature verification failed: the trusted comment was altered");
  }
}

TEST_F(Tamper, EveryGlobalSignatureByteChanged) {
  for (size_t i = 0; i < 64; ++i) {
    Verdict v = Check(FlipBlobByte(sig_, 3, i));
    EXPECT_EQ(v.code, Code::kDamaged) << i;
    EXPECT_TRUE(Contains(v.message, "trusted comment signature verification failed")) << i;
  }
}

TEST_F(Tamper, KeyIdChanged) {
  for (size_t i = 2; i < 10; ++i) {
    std::string bad = FlipBlobByte(sig_, 1, i);
    SignerKeyId claimed = key_.public_key().key_id();
    claimed[i - 2] ^= 0x01;
    SignerPublicKey claimed_key(claimed, key_.public_key().bytes());
    Verdict v = Check(bad);
    EXPECT_EQ(v.code, Code::kInvalidArgument) << i;
    EXPECT_EQ(v.message, "signed by key " + claimed_key.KeyIdHex() + ", expected " +
                             key_.public_key().KeyIdHex());
  }
}

TEST_F(Tamper, WrongKey) {
  SignerSecretKey other = NewKey();
  Verdict v = Verify(other.public_key(), message_, sig_);
  EXPECT_EQ(v.code, Code::kInvalidArgument);
  EXPECT_EQ(v.message, "signed by key " + key_.public_key().KeyIdHex() + ", expected " +
                           other.public_key().KeyIdHex());
  // Another key that claims the same key id is still caught by the signature.
  SignerPublicKey impostor(key_.public_key().key_id(), other.public_key().bytes());
  v = Verify(impostor, message_, sig_);
  EXPECT_EQ(v.code, Code::kDamaged);
  EXPECT_TRUE(Contains(v.message, "signature verification failed")) << v.message;
}

TEST_F(Tamper, Truncated) {
  for (size_t len = 0; len < sig_.size() - 1; ++len) {
    Verdict v = Check(sig_.substr(0, len));
    EXPECT_NE(v.code, Code::kOk) << len;
    EXPECT_TRUE(Contains(v.message, "not a minisign signature file")) << len << v.message;
  }
  std::vector<std::string> lines = Lines(sig_);
  lines.pop_back();
  Verdict v = Check(Join(lines));
  EXPECT_EQ(v.code, Code::kDamaged);
  EXPECT_EQ(v.message, "not a minisign signature file: expected 4 lines, found 3 (truncated?)");
}

TEST_F(Tamper, GarbageAndMalformedLines) {
  std::vector<std::string> lines = Lines(sig_);
  auto with = [&](size_t i, const std::string& replacement) {
    std::vector<std::string> l = lines;
    l[i] = replacement;
    return Check(Join(l));
  };
  Verdict v = with(1, "this is not base64!");
  EXPECT_EQ(v.code, Code::kDamaged);
  EXPECT_EQ(v.message,
            "not a minisign signature file: line 2 is not the base64 of a 74-byte signature");
  EXPECT_TRUE(Contains(with(1, lines[1] + "AAAA").message, "line 2 is not the base64"));
  EXPECT_TRUE(Contains(with(1, lines[1].substr(4)).message, "line 2 is not the base64"));
  EXPECT_TRUE(Contains(with(1, " " + lines[1]).message, "line 2 is not the base64"));
  v = with(3, "@@@@");
  EXPECT_EQ(v.message,
            "not a minisign signature file: line 4 is not the base64 of a 64-byte trusted "
            "comment signature");
  EXPECT_TRUE(Contains(with(0, "comment: x").message, "line 1 does not start with"));
  EXPECT_TRUE(Contains(with(2, "trusted: trusted words").message, "line 3 does not start with"));
  EXPECT_TRUE(Contains(with(2, std::string("trusted comment: trusted\0words", 30)).message,
                       "CR or NUL"));
  EXPECT_TRUE(Contains(Check(sig_ + "extra\n").message, "unexpected text after line 4"));
  EXPECT_EQ(Check(sig_ + "\n\n").code, Code::kOk);  // blank lines after it are harmless
  EXPECT_TRUE(Contains(Check("").message, "found 0"));
  EXPECT_TRUE(Contains(Check(std::string(1000, '\xff')).message, "not a minisign signature"));
}

// ---- Key files -------------------------------------------------------------------------

TEST(SignerFiles, WriteReadRoundTripAndRefuseOverwrite) {
  TempDir dir;
  const std::string out = dir / "alice";
  ASSERT_TRUE(WriteNewSigner(out, Pass("pw"), FastKdf()).ok());
  struct stat st;
  ASSERT_EQ(0, ::stat((out + ".key").c_str(), &st));
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  std::string key_bytes = ReadFileOrDie(out + ".key");
  ASSERT_EQ(key_bytes.size(), internal::kEnvelopeSize);
  EXPECT_EQ(key_bytes.substr(0, 8), "TVLTSIGK");

  auto pub = SignerPublicKey::ReadFile(out + ".pub");
  ASSERT_TRUE(pub.ok()) << pub.status().message();
  EXPECT_EQ(pub->key_id(), DeriveSignerKeyId(pub->bytes()));
  std::string pub_text = ReadFileOrDie(out + ".pub");
  EXPECT_EQ(Lines(pub_text)[0], "untrusted comment: tvault signer public key " + pub->KeyIdHex());

  auto secret = ReadSignerSecretKey(out + ".key", Pass("pw"));
  ASSERT_TRUE(secret.ok()) << secret.status().message();
  EXPECT_EQ(secret->public_key(), *pub);
  EXPECT_EQ(Verify(*pub, "m", *secret->Sign("m", "c")).message, "c");

  Status again = WriteNewSigner(out, Pass("pw"), FastKdf());
  EXPECT_EQ(again.code(), Code::kAlreadyExists);
  EXPECT_EQ(ReadFileOrDie(out + ".key"), key_bytes);
  EXPECT_EQ(ReadFileOrDie(out + ".pub"), pub_text);
  // Either file existing is enough to refuse.
  WriteFileOrDie(dir / "bob.pub", "x");
  EXPECT_EQ(WriteNewSigner(dir / "bob", Pass("pw"), FastKdf()).code(), Code::kAlreadyExists);
  EXPECT_EQ(ReadFileOrDie(dir / "bob.pub"), "x");
}

TEST(SignerFiles, WrongPassphraseOtherKindAndDamage) {
  TempDir dir;
  ASSERT_TRUE(WriteNewSigner(dir / "s", Pass("pw"), FastKdf()).ok());
  EXPECT_EQ(ReadSignerSecretKey(dir / "s.key", Pass("pW")).status().code(),
            Code::kWrongPassphrase);
  EXPECT_EQ(ReadSignerSecretKey(dir / "missing.key", Pass("pw")).status().code(),
            Code::kNotFound);
  // An organisation key file is not a signer key file, and the other way round.
  ASSERT_TRUE(WriteNewOrgKeyPair(dir / "org", Pass("pw"), FastKdf()).ok());
  EXPECT_EQ(ReadSignerSecretKey(dir / "org.key", Pass("pw")).status().code(), Code::kDamaged);
  EXPECT_EQ(ReadOrgSecretKey(dir / "s.key", Pass("pw")).status().code(), Code::kDamaged);
  EXPECT_FALSE(SignerPublicKey::ReadFile(dir / "org.pub").ok());
  std::string bytes = ReadFileOrDie(dir / "s.key");
  bytes[100] = static_cast<char>(bytes[100] ^ 1);
  WriteFileOrDie(dir / "bad.key", bytes);
  EXPECT_FALSE(ReadSignerSecretKey(dir / "bad.key", Pass("pw")).ok());
  WriteFileOrDie(dir / "short.key", bytes.substr(0, 50));
  EXPECT_EQ(ReadSignerSecretKey(dir / "short.key", Pass("pw")).status().code(), Code::kDamaged);
}

TEST(SignerFiles, EmptyPassphraseRefused) {
  TempDir dir;
  EXPECT_EQ(WriteNewSigner(dir / "s", Pass(""), FastKdf()).code(), Code::kInvalidArgument);
}

// ---- Interoperability with the stock minisign tool -------------------------------------------

// (a) Our signatures verify with `minisign -V`, with the default and an explicit -x file.
TEST(MinisignInterop, StockToolVerifiesOurSignatures) {
  REQUIRE_MINISIGN();
  TempDir dir;
  ASSERT_TRUE(WriteNewSigner(dir / "our", Pass("pw"), FastKdf()).ok());
  SignerSecretKey key = *ReadSignerSecretKey(dir / "our.key", Pass("pw"));
  std::string message = "bundle bytes\n";
  for (int i = 0; i < 256; ++i) message += static_cast<char>(i);
  WriteFileOrDie(dir / "file", message);
  WriteFileOrDie(dir / "file.minisig", *key.Sign(message, "tvault bundle 7\tsha:abc"));

  Shell v = RunShell("minisign -V -p " + Quote(dir / "our.pub") + " -m " + Quote(dir / "file"));
  EXPECT_EQ(v.exit_code, 0) << v.output;
  EXPECT_TRUE(Contains(v.output, "Signature and comment signature verified")) << v.output;
  EXPECT_TRUE(Contains(v.output, "Trusted comment: tvault bundle 7\tsha:abc")) << v.output;

  WriteFileOrDie(dir / "other.sig", *key.Sign(message, std::string(kMaxTrustedCommentSize, 'x')));
  v = RunShell("minisign -V -Q -p " + Quote(dir / "our.pub") + " -m " + Quote(dir / "file") +
               " -x " + Quote(dir / "other.sig"));
  EXPECT_EQ(v.exit_code, 0) << v.output;
  EXPECT_EQ(v.output, std::string(kMaxTrustedCommentSize, 'x') + "\n");

  // A tampered file is rejected by the stock tool.
  std::string tampered = message;
  tampered[3] ^= 1;
  WriteFileOrDie(dir / "tampered", tampered);
  v = RunShell("minisign -V -p " + Quote(dir / "our.pub") + " -m " + Quote(dir / "tampered") +
               " -x " + Quote(dir / "file.minisig"));
  EXPECT_NE(v.exit_code, 0) << v.output;
  EXPECT_TRUE(Contains(v.output, "Signature verification failed")) << v.output;

  // So is an altered trusted comment.
  std::vector<std::string> lines = Lines(ReadFileOrDie(dir / "file.minisig"));
  lines[2] = "trusted comment: tvault bundle 8\tsha:abc";
  WriteFileOrDie(dir / "comment.sig", Join(lines));
  v = RunShell("minisign -V -p " + Quote(dir / "our.pub") + " -m " + Quote(dir / "file") +
               " -x " + Quote(dir / "comment.sig"));
  EXPECT_NE(v.exit_code, 0) << v.output;
  EXPECT_TRUE(Contains(v.output, "Comment signature verification failed")) << v.output;
}

// (b) Signatures made by the stock tool verify with VerifyMinisign; tampering is caught by both.
TEST(MinisignInterop, WeVerifyStockSignatures) {
  REQUIRE_MINISIGN();
  TempDir dir;
  StockKeyPair(dir);
  const std::string message = "a report signed with stock minisign\n";
  WriteFileOrDie(dir / "file", message);
  Shell s = RunShell("minisign -S -s " + Quote(dir / "k.key") + " -m " + Quote(dir / "file") +
                     " -t " + Quote("comment from stock"));
  ASSERT_EQ(s.exit_code, 0) << s.output;
  s = RunShell("minisign -S -l -s " + Quote(dir / "k.key") + " -m " + Quote(dir / "file") +
               " -x " + Quote(dir / "legacy.sig") + " -t " + Quote("legacy comment"));
  ASSERT_EQ(s.exit_code, 0) << s.output;

  auto pub = SignerPublicKey::ReadFile(dir / "k.pub");
  ASSERT_TRUE(pub.ok()) << pub.status().message();
  const std::string sig = ReadFileOrDie(dir / "file.minisig");
  ASSERT_EQ(B64Decode(Lines(sig)[1]).substr(0, 2), "ED");  // 0.11 prehashes by default
  Verdict v = Verify(*pub, message, sig);
  EXPECT_EQ(v.code, Code::kOk) << v.message;
  EXPECT_EQ(v.message, "comment from stock");
  const std::string legacy = ReadFileOrDie(dir / "legacy.sig");
  ASSERT_EQ(B64Decode(Lines(legacy)[1]).substr(0, 2), "Ed");
  v = Verify(*pub, message, legacy);
  EXPECT_EQ(v.code, Code::kOk) << v.message;
  EXPECT_EQ(v.message, "legacy comment");

  // A tampered file: we reject it, and so does the stock tool.
  std::string tampered = message;
  tampered[0] = 'A';
  WriteFileOrDie(dir / "tampered", tampered);
  v = Verify(*pub, tampered, sig);
  EXPECT_EQ(v.code, Code::kDamaged);
  EXPECT_TRUE(Contains(v.message, "signature verification failed")) << v.message;
  EXPECT_EQ(Verify(*pub, tampered, legacy).code, Code::kDamaged);
  Shell stock = RunShell("minisign -V -p " + Quote(dir / "k.pub") + " -m " +
                         Quote(dir / "tampered") + " -x " + Quote(dir / "file.minisig"));
  EXPECT_NE(stock.exit_code, 0) << stock.output;

  // Our key does not verify their signature (and says whose it is).
  SignerSecretKey ours = NewKey();
  v = Verify(ours.public_key(), message, sig);
  EXPECT_EQ(v.code, Code::kInvalidArgument);
  EXPECT_EQ(v.message,
            "signed by key " + pub->KeyIdHex() + ", expected " + ours.public_key().KeyIdHex());
}

// A public key file is two lines, as minisign writes it: the stock tool refuses a file holding
// only the base64 line, and so does tvault; both accept the two-line file.
TEST(MinisignInterop, BareBase64LineIsNotAKeyFile) {
  REQUIRE_MINISIGN();
  TempDir dir;
  StockKeyPair(dir);
  WriteFileOrDie(dir / "file", "x");
  Shell s = RunShell("minisign -S -s " + Quote(dir / "k.key") + " -m " + Quote(dir / "file"));
  ASSERT_EQ(s.exit_code, 0) << s.output;
  WriteFileOrDie(dir / "bare.pub", Lines(ReadFileOrDie(dir / "k.pub"))[1] + "\n");
  Shell stock = RunShell("minisign -V -p " + Quote(dir / "bare.pub") + " -m " +
                         Quote(dir / "file"));
  EXPECT_NE(stock.exit_code, 0) << stock.output;
  auto bare = SignerPublicKey::ReadFile(dir / "bare.pub");
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(Contains(bare.status().message(), dir / "bare.pub")) << bare.status().message();
  stock = RunShell("minisign -V -p " + Quote(dir / "k.pub") + " -m " + Quote(dir / "file"));
  EXPECT_EQ(stock.exit_code, 0) << stock.output;
  EXPECT_TRUE(SignerPublicKey::ReadFile(dir / "k.pub").ok());
}

// (c) The key ids the stock tool prints are our KeyIdHex(), including one with a leading 0.
TEST(MinisignInterop, KeyIdsMatchWhatTheStockToolPrints) {
  REQUIRE_MINISIGN();
  TempDir dir;
  StockKeyPair(dir);
  auto stock_pub = SignerPublicKey::ReadFile(dir / "k.pub");
  ASSERT_TRUE(stock_pub.ok()) << stock_pub.status().message();
  EXPECT_EQ(Lines(ReadFileOrDie(dir / "k.pub"))[0],
            "untrusted comment: minisign public key " + stock_pub->KeyIdHex());

  // The stock tool prints both key ids when they differ: ours (in the signature) and a key
  // whose id's top byte is zero (in the public key file).
  SignerSecretKey key = NewKey();
  SignerPublicKey zero_top({0x31, 0xa1, 0xfb, 0x16, 0x38, 0x0b, 0x9b, 0x00},
                           key.public_key().bytes());
  WriteFileOrDie(dir / "zero.pub", zero_top.ToMinisignText("crafted"));
  WriteFileOrDie(dir / "file", "x");
  WriteFileOrDie(dir / "file.minisig", *key.Sign("x", "c"));
  Shell v = RunShell("minisign -V -p " + Quote(dir / "zero.pub") + " -m " + Quote(dir / "file"));
  EXPECT_NE(v.exit_code, 0);
  EXPECT_TRUE(Contains(v.output, "is " + key.public_key().KeyIdHex() + "\n")) << v.output;
  EXPECT_TRUE(Contains(v.output, "public key is " + zero_top.KeyIdHex())) << v.output;
  EXPECT_EQ(zero_top.KeyIdHex(), "9B0B3816FBA131");

  // And against the stock key.
  v = RunShell("minisign -V -p " + Quote(dir / "k.pub") + " -m " + Quote(dir / "file"));
  EXPECT_TRUE(Contains(v.output, "public key is " + stock_pub->KeyIdHex())) << v.output;
}

}  // namespace
}  // namespace tvault
