// The age v1 format: round trips, the header and payload rules of the spec, tampering, and
// interoperability with the stock `age` tool (skipped when it is not installed).
#include "crypto/age.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdlib>
#include <sstream>
#include <type_traits>

#include "crypto/bech32.h"
#include "testing/test_util.h"
#include "tvault/keys.h"

namespace tvault::internal {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::ReadFileOrDie;
using testing::TempDir;
using testing::WriteFileOrDie;

constexpr size_t kChunk = kAgeChunkSize;

// One organisation key pair per test, made the way coordinators make it.
struct OrgKeys {
  TempDir dir;
  OrgPublicKey pub;
  std::unique_ptr<OrgSecretKey> secret;

  OrgKeys() {
    Status st = WriteNewOrgKeyPair(dir / "org", Pass("p"), FastKdf());
    if (!st.ok()) ADD_FAILURE() << st.message();
    pub = *ReadOrgPublicKey(dir / "org.pub");
    auto sk = ReadOrgSecretKey(dir / "org.key", Pass("p"));
    if (!sk.ok()) ADD_FAILURE() << sk.status().message();
    secret = std::make_unique<OrgSecretKey>(std::move(sk).value());
  }
};

std::string RandomBytes(size_t n) {
  std::string s(n, '\0');
  randombytes_buf(s.data(), s.size());
  return s;
}

// Encrypts `plain`, handing it to the writer in pieces of `piece` bytes.
std::string Encrypt(const OrgPublicKey& to, const std::string& plain, size_t piece = 10007) {
  std::ostringstream out;
  auto w = AgeWriter::Create(to, &out);
  EXPECT_TRUE(w.ok()) << w.status().message();
  for (size_t i = 0; i < plain.size(); i += piece) {
    EXPECT_TRUE((*w)->Write(std::string_view(plain).substr(i, piece)).ok());
  }
  EXPECT_TRUE((*w)->Finish().ok());
  return out.str();
}

// Decrypts a whole file, or returns the first error (from Open or Read).
Result<std::string> Decrypt(const OrgSecretKey& key, const std::string& file) {
  std::istringstream in(file);
  TVAULT_ASSIGN_OR_RETURN(std::unique_ptr<AgeReader> r, AgeReader::Open(key, &in));
  std::string out;
  char buf[7001];
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(size_t n, r->Read(buf, sizeof buf));
    if (n == 0) return out;
    out.append(buf, n);
  }
}

size_t HeaderSize(const std::string& file) {
  size_t mac = file.find("\n--- ");
  return file.find('\n', mac + 1) + 1;
}

std::string Hex(const SecretBytes& b) {
  std::string out(b.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), b.data(), b.size());
  out.pop_back();
  return out;
}

// ---- Building blocks ----

TEST(AgeHkdf, Rfc5869TestCases) {
  // RFC 5869 A.1.
  std::string ikm(22, '\x0b');
  std::string salt;
  for (char c = 0; c <= 0x0c; ++c) salt.push_back(c);
  SecretBytes okm = HkdfSha256(reinterpret_cast<const uint8_t*>(ikm.data()), ikm.size(), salt,
                               "\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9", 42);
  EXPECT_EQ(Hex(okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  // RFC 5869 A.3: empty salt and info.
  okm = HkdfSha256(reinterpret_cast<const uint8_t*>(ikm.data()), ikm.size(), "", "", 42);
  EXPECT_EQ(Hex(okm),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST(AgeBase64, CanonicalUnpaddedOnly) {
  std::vector<uint8_t> out;
  EXPECT_TRUE(AgeBase64Decode("", &out));
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(AgeBase64Decode("AQ", &out));
  EXPECT_EQ(out, std::vector<uint8_t>{1});
  EXPECT_FALSE(AgeBase64Decode("AQ==", &out));  // padding
  EXPECT_FALSE(AgeBase64Decode("AR", &out));    // non-zero unused bits
  EXPECT_FALSE(AgeBase64Decode("A", &out));     // impossible length
  EXPECT_FALSE(AgeBase64Decode("AQ\r", &out));
  EXPECT_FALSE(AgeBase64Decode("A Q", &out));
  EXPECT_FALSE(AgeBase64Decode("_-", &out));    // URL-safe alphabet
}

TEST(AgeStanza, BodyLinesAreWrappedAt64AndEndShort) {
  EXPECT_EQ(EncodeAgeStanza({"t"}, {}), "-> t\n\n");
  std::string s = EncodeAgeStanza({"t", "a"}, std::vector<uint8_t>(48, 0));
  EXPECT_EQ(s, "-> t a\n" + std::string(64, 'A') + "\n\n");
  s = EncodeAgeStanza({"t"}, std::vector<uint8_t>(50, 0));
  EXPECT_EQ(s, "-> t\n" + std::string(64, 'A') + "\nAAA\n");
}

// ---- Round trips ----

TEST(Age, RoundTripsAtChunkBoundaries) {
  OrgKeys keys;
  for (size_t size : {size_t{0}, size_t{1}, kChunk - 1, kChunk, kChunk + 1, 3 * kChunk,
                      size_t{1} << 20}) {
    std::string plain = RandomBytes(size);
    std::string file = Encrypt(keys.pub, plain);
    // Header, nonce, and one 16-byte tag per chunk (at least one chunk; none empty but a
    // lone one).
    size_t chunks = size == 0 ? 1 : (size + kChunk - 1) / kChunk;
    EXPECT_EQ(file.size(), HeaderSize(file) + 16 + size + 16 * chunks) << size;
    auto back = Decrypt(*keys.secret, file);
    ASSERT_TRUE(back.ok()) << size << ": " << back.status().message();
    EXPECT_TRUE(*back == plain) << size;
  }
}

TEST(Age, WriterAcceptsAnyPieceSizes) {
  OrgKeys keys;
  std::string plain = RandomBytes(2 * kChunk + 5);
  for (size_t piece : {size_t{1} << 30, kChunk, size_t{65535}, size_t{4099}}) {
    EXPECT_TRUE(*Decrypt(*keys.secret, Encrypt(keys.pub, plain, piece)) == plain);
  }
  // Byte at a time.
  std::string small = RandomBytes(300);
  EXPECT_EQ(*Decrypt(*keys.secret, Encrypt(keys.pub, small, 1)), small);
}

TEST(Age, HeaderLooksLikeTheSpec) {
  OrgKeys keys;
  std::string file = Encrypt(keys.pub, "x");
  std::istringstream in(file);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "age-encryption.org/v1");
  std::getline(in, line);
  EXPECT_EQ(line.rfind("-> X25519 ", 0), 0u);
  EXPECT_EQ(line.size(), 10u + 43u);
  std::getline(in, line);
  EXPECT_EQ(line.size(), 43u);  // 32 bytes of wrapped key and tag, one short line
  std::getline(in, line);
  EXPECT_EQ(line.rfind("--- ", 0), 0u);
  EXPECT_EQ(line.size(), 4u + 43u);
}

TEST(Age, WriterRefusesUseAfterFinish) {
  OrgKeys keys;
  std::ostringstream out;
  auto w = *AgeWriter::Create(keys.pub, &out);
  ASSERT_TRUE(w->Finish().ok());
  EXPECT_FALSE(w->Write("x").ok());
  EXPECT_FALSE(w->Finish().ok());
}

// ---- Errors and tampering ----

TEST(Age, WrongOrganisationKey) {
  OrgKeys keys, other;
  auto r = Decrypt(*other.secret, Encrypt(keys.pub, "testimony"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "not encrypted to this organisation key");
}

TEST(Age, NotAnAgeFile) {
  OrgKeys keys;
  for (std::string junk : {std::string(""), std::string("hello\n"), RandomBytes(1000),
                           std::string("age-encryption.org/v1")}) {
    auto r = Decrypt(*keys.secret, junk);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kDamaged);
  }
  EXPECT_EQ(Decrypt(*keys.secret, "PK\x03\x04 zip").status().message(), "not an age file");
  EXPECT_EQ(Decrypt(*keys.secret, "-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n").status().code(),
            Code::kUnsupported);
  EXPECT_EQ(Decrypt(*keys.secret, "age-encryption.org/v2\n").status().code(), Code::kUnsupported);
}

// C2SP age test kit, "header_crlf": the version line ends in CR LF. That is a malformed
// header (expect: header failure), not a file of another age version.
TEST(Age, VersionLineWithCrIsAHeaderFailure) {
  OrgKeys keys;
  std::string file = Encrypt(keys.pub, "a short testimony");
  ASSERT_EQ(file.compare(0, 22, "age-encryption.org/v1\n"), 0);
  file.insert(21, "\r");
  auto r = Decrypt(*keys.secret, file);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kDamaged) << r.status().message();
  EXPECT_NE(r.status().message().find("version line"), std::string::npos) << r.status().message();
  // Other control characters in the version line, likewise; a real other version stays
  // "unsupported".
  EXPECT_EQ(Decrypt(*keys.secret, "age-encryption.org/v1\t\n").status().code(), Code::kDamaged);
  EXPECT_EQ(Decrypt(*keys.secret, "age-encryption.org/v2\r\n").status().code(), Code::kDamaged);
  EXPECT_EQ(Decrypt(*keys.secret, "age-encryption.org/v2\n").status().code(), Code::kUnsupported);
}

TEST(Age, EveryHeaderByteIsAuthenticated) {
  OrgKeys keys;
  std::string file = Encrypt(keys.pub, "a short testimony");
  const size_t header = HeaderSize(file);
  for (size_t i = 0; i < header; ++i) {
    for (int mask : {0x01, 0x20, 0x80}) {
      std::string bad = file;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      auto r = Decrypt(*keys.secret, bad);
      EXPECT_FALSE(r.ok()) << "header byte " << i << " mask " << mask << " accepted";
    }
  }
  // The MAC itself: a different but well-formed MAC line names the alteration.
  std::string bad = file;
  size_t mac = file.find("\n--- ") + 5;
  bad[mac] = bad[mac] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Decrypt(*keys.secret, bad).status().message(), "header MAC mismatch (altered)");
}

TEST(Age, PayloadTamperingTruncationAndTrailingData) {
  OrgKeys keys;
  std::string plain = RandomBytes(3 * kChunk);
  std::string file = Encrypt(keys.pub, plain);
  const size_t start = HeaderSize(file) + 16;  // first chunk
  const size_t sealed = kChunk + 16;
  auto expect_damaged = [&](const std::string& f, const std::string& what) {
    auto r = Decrypt(*keys.secret, f);
    ASSERT_FALSE(r.ok()) << what << " accepted";
    EXPECT_EQ(r.status().code(), Code::kDamaged) << what << ": " << r.status().message();
  };

  for (size_t pos : {HeaderSize(file), start, start + 5, start + sealed + 100, file.size() - 1}) {
    std::string bad = file;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x04);
    expect_damaged(bad, "flipped byte at " + std::to_string(pos));
  }
  // Truncation: inside the nonce, inside a chunk, and the whole last chunk dropped exactly at
  // a chunk boundary (the reader must not take the end of chunk 2 for the end of the file).
  for (size_t keep : {HeaderSize(file) + 3, start, start + 10, start + sealed,
                      start + 2 * sealed, file.size() - 1}) {
    expect_damaged(file.substr(0, keep), "truncated to " + std::to_string(keep));
  }
  auto r = Decrypt(*keys.secret, file.substr(0, start + 2 * sealed));
  EXPECT_NE(r.status().message().find("last chunk is missing"), std::string::npos)
      << r.status().message();
  expect_damaged(file + "x", "trailing byte");
  expect_damaged(file + RandomBytes(kChunk + 16), "trailing chunk-sized garbage");
  r = Decrypt(*keys.secret, file + "x");
  EXPECT_NE(r.status().message().find("trailing data"), std::string::npos);
  // Chunks 0 and 1 swapped.
  std::string swapped = file.substr(0, start) + file.substr(start + sealed, sealed) +
                        file.substr(start, sealed) + file.substr(start + 2 * sealed);
  ASSERT_EQ(swapped.size(), file.size());
  expect_damaged(swapped, "swapped chunks");

  // A short file whose last chunk lost its tail.
  std::string one = Encrypt(keys.pub, RandomBytes(65537));
  expect_damaged(one.substr(0, one.size() - 17), "last chunk dropped (65537 bytes)");
}

TEST(Age, ReadReleasesOnlyAuthenticatedChunksAndErrorsAreSticky) {
  OrgKeys keys;
  std::string plain = RandomBytes(2 * kChunk + 10);
  std::string file = Encrypt(keys.pub, plain);
  size_t second = HeaderSize(file) + 16 + kChunk + 16;
  file[second + 3] ^= 1;
  std::istringstream in(file);
  auto r = *AgeReader::Open(*keys.secret, &in);
  std::string buf(kChunk, '\0');
  auto n = r->Read(buf.data(), buf.size());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, kChunk);
  EXPECT_TRUE(buf == plain.substr(0, kChunk));
  EXPECT_EQ(r->Read(buf.data(), 1).status().code(), Code::kDamaged);
  EXPECT_EQ(r->Read(buf.data(), 1).status().code(), Code::kDamaged);
}

// Files built by hand from the spec, to check the reader's rules on input tvault never writes.
class HandBuiltAge : public ::testing::Test {
 protected:
  // The X25519 stanza wrapping `file_key_` to `keys_.pub`, computed step by step.
  std::string X25519Stanza() {
    uint8_t eph[32], share[32], shared[32];
    randombytes_buf(eph, sizeof eph);
    crypto_scalarmult_base(share, eph);
    EXPECT_EQ(crypto_scalarmult(shared, eph, keys_.pub.bytes().data()), 0);
    std::string salt(reinterpret_cast<char*>(share), 32);
    salt.append(reinterpret_cast<const char*>(keys_.pub.bytes().data()), 32);
    SecretBytes wrap = HkdfSha256(shared, 32, salt, "age-encryption.org/v1/X25519", 32);
    std::vector<uint8_t> body(32);
    uint8_t nonce[12] = {0};
    crypto_aead_chacha20poly1305_ietf_encrypt(body.data(), nullptr, file_key_.data(), 16,
                                              nullptr, 0, nullptr, nonce, wrap.data());
    return EncodeAgeStanza({"X25519", AgeBase64Encode(share, 32)}, body);
  }

  // version line + stanzas + MAC line + nonce + chunks (plaintext, last flag each).
  std::string File(const std::string& stanzas,
                   const std::vector<std::pair<std::string, bool>>& chunks) {
    std::string h = "age-encryption.org/v1\n" + stanzas + "---";
    SecretBytes mac_key = HkdfSha256(file_key_.data(), 16, "", "header", 32);
    uint8_t mac[32];
    crypto_auth_hmacsha256(mac, reinterpret_cast<const uint8_t*>(h.data()), h.size(),
                           mac_key.data());
    std::string out = h + " " + AgeBase64Encode(mac, 32) + "\n";
    std::string nonce = RandomBytes(16);
    out += nonce;
    SecretBytes key = HkdfSha256(file_key_.data(), 16, nonce, "payload", 32);
    uint64_t counter = 0;
    for (const auto& [plain, last] : chunks) {
      uint8_t n[12] = {0};
      n[10] = static_cast<uint8_t>(counter++);
      n[11] = last ? 1 : 0;
      std::string sealed(plain.size() + 16, '\0');
      crypto_aead_chacha20poly1305_ietf_encrypt(
          reinterpret_cast<uint8_t*>(sealed.data()), nullptr,
          reinterpret_cast<const uint8_t*>(plain.data()), plain.size(), nullptr, 0, nullptr, n,
          key.data());
      out += sealed;
    }
    return out;
  }

  OrgKeys keys_;
  SecretBytes file_key_ = [] {
    SecretBytes k(16);
    randombytes_buf(k.data(), 16);
    return k;
  }();
};

TEST_F(HandBuiltAge, ValidFileOpens) {
  auto r = Decrypt(*keys_.secret, File(X25519Stanza(), {{"hello", true}}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, "hello");
}

TEST_F(HandBuiltAge, UnknownStanzasAreSkippedButMustBeWellFormed) {
  const std::string x = X25519Stanza();
  const std::string full_line(64, 'A');  // 48 zero bytes
  // A 48-byte body: one full line, then the required empty line.
  std::string grease = "-> grease-x y z\n" + full_line + "\n\n";
  auto r = Decrypt(*keys_.secret, File(grease + x, {{"ok", true}}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, "ok");
  EXPECT_TRUE(Decrypt(*keys_.secret, File(x + "-> empty\n\n", {{"ok", true}})).ok());

  const std::vector<std::string> malformed = {
      "-> grease\n" + full_line + "\n",          // full last line without the empty line
      "-> grease\n" + full_line + "A\n\n",       // a line longer than 64 columns
      "-> grease\nAQ==\n",                       // padding
      "-> grease\nAR\n",                         // non-canonical unused bits
      "-> grease\n",                             // no body line at all
      "->\n\n",                                  // no arguments
      "-> a  b\n\n",                             // empty argument
      "-> a\tb\n\n",                             // argument outside printable ASCII
      "-> grease\r\n\n",                         // CR
      "garbage\n",                               // not a stanza
      "-> scrypt c2FsdA 10\nAAAA\n",             // scrypt beside another stanza
  };
  for (const std::string& bad : malformed) {
    auto m = Decrypt(*keys_.secret, File(bad + x, {{"ok", true}}));
    EXPECT_FALSE(m.ok()) << "accepted: " << bad;
    if (!m.ok()) EXPECT_EQ(m.status().code(), Code::kDamaged) << bad;
  }
  EXPECT_FALSE(Decrypt(*keys_.secret, File("", {{"ok", true}})).ok());  // no stanza
}

TEST_F(HandBuiltAge, MalformedX25519StanzaIsDamaged) {
  std::string x = X25519Stanza();
  std::string extra_arg = x;
  extra_arg.insert(extra_arg.find('\n'), " extra");
  EXPECT_EQ(Decrypt(*keys_.secret, File(extra_arg, {{"ok", true}})).status().code(),
            Code::kDamaged);
  // A low-order share (all zero) gives an all-zero shared secret.
  std::string zero = EncodeAgeStanza({"X25519", AgeBase64Encode(std::vector<uint8_t>(32).data(),
                                                                32)},
                                     std::vector<uint8_t>(32));
  EXPECT_EQ(Decrypt(*keys_.secret, File(zero + x, {{"ok", true}})).status().code(),
            Code::kDamaged);
}

TEST_F(HandBuiltAge, LastChunkRules) {
  const std::string x = X25519Stanza();
  const std::string full(kChunk, 'z');
  // A full last chunk is fine; so is a lone empty chunk (an empty file).
  EXPECT_TRUE(Decrypt(*keys_.secret, File(x, {{full, true}})).ok());
  auto empty = Decrypt(*keys_.secret, File(x, {{"", true}}));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
  // An empty last chunk after data is not allowed.
  auto r = Decrypt(*keys_.secret, File(x, {{full, false}, {"", true}}));
  EXPECT_EQ(r.status().code(), Code::kDamaged);
  EXPECT_NE(r.status().message().find("empty chunk"), std::string::npos);
  // A short chunk must be the last; no last chunk at all is truncation.
  EXPECT_EQ(Decrypt(*keys_.secret, File(x, {{"abc", false}})).status().code(), Code::kDamaged);
  EXPECT_EQ(Decrypt(*keys_.secret, File(x, {{full, false}})).status().code(), Code::kDamaged);
  EXPECT_EQ(Decrypt(*keys_.secret, File(x, {})).status().code(), Code::kDamaged);
  // Data after the last chunk, even a whole valid-looking chunk.
  EXPECT_EQ(Decrypt(*keys_.secret, File(x, {{full, true}, {"a", true}})).status().code(),
            Code::kDamaged);
}

TEST(AgeIdentity, StringIsUpperCaseBech32OfTheSecret) {
  OrgKeys keys;
  // The identity is the organisation secret: returned in wiped secure memory (issue 19, item 8).
  const SecretBytes secret_id = AgeIdentityString(*keys.secret);
  static_assert(std::is_same_v<decltype(AgeIdentityString(*keys.secret)), SecretBytes>);
  std::string id(secret_id.view());
  EXPECT_EQ(id.rfind("AGE-SECRET-KEY-1", 0), 0u);
  EXPECT_EQ(id.size(), 74u);
  auto data = Bech32Decode("age-secret-key-", id);
  ASSERT_TRUE(data.ok());
  ASSERT_EQ(data->size(), 32u);
  EXPECT_EQ(0, std::memcmp(data->data(), keys.secret->secret().data(), 32));
}

// ---- Interoperability with the stock age tool ----

bool HaveAge() { return std::system("command -v age >/dev/null 2>&1") == 0; }

int Sh(const std::string& cmd) { return std::system(cmd.c_str()); }

TEST(AgeInterop, StockAgeDecryptsOurFiles) {
  if (!HaveAge()) GTEST_SKIP() << "age is not installed";
  OrgKeys keys;
  TempDir dir;
  WriteFileOrDie(dir / "identity.txt", std::string(AgeIdentityString(*keys.secret).view()) + "\n");
  for (size_t size : {size_t{0}, size_t{100}, kChunk, size_t{200000}}) {
    std::string plain = RandomBytes(size);
    WriteFileOrDie(dir / "bundle.age", Encrypt(keys.pub, plain));
    // Through stdout: age -o creates no file for an empty plaintext.
    ASSERT_EQ(Sh("age -d -i " + (dir / "identity.txt") + " " + (dir / "bundle.age") + " > " +
                 (dir / "out")),
              0)
        << size;
    EXPECT_TRUE(ReadFileOrDie(dir / "out") == plain) << size;
  }
}

TEST(AgeInterop, StockAgeRejectsOurTamperedFile) {
  if (!HaveAge()) GTEST_SKIP() << "age is not installed";
  OrgKeys keys;
  TempDir dir;
  WriteFileOrDie(dir / "identity.txt", std::string(AgeIdentityString(*keys.secret).view()) + "\n");
  std::string file = Encrypt(keys.pub, RandomBytes(1000));
  file[file.size() - 3] ^= 1;
  WriteFileOrDie(dir / "bundle.age", file);
  EXPECT_NE(Sh("age -d -i " + (dir / "identity.txt") + " -o " + (dir / "out") + " " +
               (dir / "bundle.age") + " 2>/dev/null"),
            0);
}

TEST(AgeInterop, WeDecryptStockAgeFiles) {
  if (!HaveAge()) GTEST_SKIP() << "age is not installed";
  OrgKeys keys;
  TempDir dir;
  for (size_t size : {size_t{0}, size_t{100}, kChunk, size_t{200000}}) {
    std::string plain = RandomBytes(size);
    WriteFileOrDie(dir / "plain", plain);
    ASSERT_EQ(Sh("age -e -r " + keys.pub.ToAgeRecipient() + " -o " + (dir / "bundle.age") + " " +
                 (dir / "plain")),
              0);
    auto back = Decrypt(*keys.secret, ReadFileOrDie(dir / "bundle.age"));
    ASSERT_TRUE(back.ok()) << size << ": " << back.status().message();
    EXPECT_TRUE(*back == plain) << size;
  }
  // Several recipients, ours not first.
  OrgKeys other;
  WriteFileOrDie(dir / "plain", "multi");
  ASSERT_EQ(Sh("age -e -r " + other.pub.ToAgeRecipient() + " -r " + keys.pub.ToAgeRecipient() +
               " -o " + (dir / "multi.age") + " " + (dir / "plain")),
            0);
  auto multi = Decrypt(*keys.secret, ReadFileOrDie(dir / "multi.age"));
  ASSERT_TRUE(multi.ok()) << multi.status().message();
  EXPECT_EQ(*multi, "multi");
}

TEST(AgeInterop, StockAgeFileForAnotherKey) {
  if (!HaveAge()) GTEST_SKIP() << "age is not installed";
  OrgKeys keys, other;
  TempDir dir;
  WriteFileOrDie(dir / "plain", "x");
  ASSERT_EQ(Sh("age -e -r " + other.pub.ToAgeRecipient() + " -o " + (dir / "b.age") + " " +
               (dir / "plain")),
            0);
  EXPECT_EQ(Decrypt(*keys.secret, ReadFileOrDie(dir / "b.age")).status().message(),
            "not encrypted to this organisation key");
}

}  // namespace
}  // namespace tvault::internal
