#include "tvault/signing.h"

#include <sodium.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <vector>

#include "crypto/envelope.h"
#include "crypto/signing_internal.h"
#include "util/base64.h"
#include "util/clock.h"
#include "util/file.h"

namespace tvault {
namespace {

using internal::kMinisignAlgHashed;
using internal::kMinisignAlgPure;
using internal::kMinisignPublicKeyBlobSize;
using internal::kMinisignSignatureBlobSize;
using internal::kTrustedCommentPrefix;
using internal::kUntrustedCommentPrefix;

constexpr size_t kMaxPublicKeyFileBytes = 4096;
constexpr size_t kEd25519SignatureSize = crypto_sign_BYTES;  // 64
constexpr size_t kPrehashSize = crypto_generichash_BYTES_MAX;  // BLAKE2b-512
static_assert(kPrehashSize == kMinisignPrehashSize, "minisign prehash is BLAKE2b-512");

// The longest lines (without their newline) the stock minisign tool reads whole: it reads the
// untrusted-comment line with fgets() into 1024 bytes and the trusted-comment line into 8192.
constexpr size_t kMaxUntrustedLine = 1022;
constexpr size_t kMaxTrustedLine = 8190;

static_assert(sizeof(kUntrustedCommentPrefix) - 1 + kMaxUntrustedCommentSize == kMaxUntrustedLine,
              "untrusted comment limit");
static_assert(sizeof(kTrustedCommentPrefix) - 1 + kMaxTrustedCommentSize == kMaxTrustedLine,
              "trusted comment limit");

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Splits `text` at LF, dropping one CR before each LF. A final LF does not start another line.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

// True when every line from `first` on is empty (trailing blank lines are harmless).
bool RestIsEmpty(const std::vector<std::string_view>& lines, size_t first) {
  for (size_t i = first; i < lines.size(); ++i) {
    if (!lines[i].empty()) return false;
  }
  return true;
}

std::string Base64(const uint8_t* p, size_t n) {
  std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), p, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// Decodes standard padded base64 that must hold exactly `size` bytes, with nothing else in
// `b64` (no spaces, no byte outside the alphabet).
bool DecodeBase64Exact(std::string_view b64, uint8_t* out, size_t size) {
  if (!internal::IsBase64Alphabet(b64)) return false;
  size_t len = 0;
  if (sodium_base642bin(out, size, b64.data(), b64.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return false;
  }
  return len == size;
}

std::string KeyIdHexOf(const SignerKeyId& id) {
  uint64_t v = 0;
  for (int i = kSignerKeyIdSize - 1; i >= 0; --i) v = (v << 8) | id[i];
  char buf[17];
  std::snprintf(buf, sizeof buf, "%" PRIX64, v);
  return buf;
}

// Replaces the bytes that would end or cut a minisign comment line.
std::string SanitizeComment(std::string s, size_t max) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\0') c = ' ';
  }
  if (s.size() > max) s.resize(max);
  return s;
}

// A signature file's fields, decoded but not verified.
struct ParsedSignature {
  uint8_t blob[kMinisignSignatureBlobSize];  // alg || key id || signature
  std::string trusted_comment;
  uint8_t global[kEd25519SignatureSize];

  bool prehashed() const { return std::memcmp(blob, kMinisignAlgHashed, 2) == 0; }
  SignerKeyId key_id() const {
    SignerKeyId id;
    std::memcpy(id.data(), blob + 2, id.size());
    return id;
  }
  const uint8_t* signature() const { return blob + 2 + kSignerKeyIdSize; }
};

Status Malformed(const std::string& what) {
  return Damaged("not a minisign signature file: " + what);
}

Result<ParsedSignature> ParseSignature(std::string_view text) {
  std::vector<std::string_view> lines = SplitLines(text);
  if (lines.size() < 4) {
    return Malformed("expected 4 lines, found " + std::to_string(lines.size()) +
                     " (truncated?)");
  }
  if (!RestIsEmpty(lines, 4)) return Malformed("unexpected text after line 4");
  if (!StartsWith(lines[0], kUntrustedCommentPrefix)) {
    return Malformed("line 1 does not start with \"untrusted comment: \"");
  }
  if (lines[0].size() > kMaxUntrustedLine) return Malformed("line 1 is too long");

  ParsedSignature sig;
  if (!DecodeBase64Exact(lines[1], sig.blob, sizeof sig.blob)) {
    return Malformed("line 2 is not the base64 of a " +
                     std::to_string(kMinisignSignatureBlobSize) + "-byte signature");
  }
  if (std::memcmp(sig.blob, kMinisignAlgHashed, 2) != 0 &&
      std::memcmp(sig.blob, kMinisignAlgPure, 2) != 0) {
    return Malformed("unsupported signature algorithm (expected \"ED\" or \"Ed\")");
  }
  if (!StartsWith(lines[2], kTrustedCommentPrefix)) {
    return Malformed("line 3 does not start with \"trusted comment: \"");
  }
  if (lines[2].size() > kMaxTrustedLine) return Malformed("line 3 is too long");
  std::string_view comment = lines[2].substr(sizeof(kTrustedCommentPrefix) - 1);
  if (comment.find('\r') != std::string_view::npos ||
      comment.find('\0') != std::string_view::npos) {
    return Malformed("the trusted comment contains a CR or NUL byte");
  }
  sig.trusted_comment = std::string(comment);
  if (!DecodeBase64Exact(lines[3], sig.global, sizeof sig.global)) {
    return Malformed("line 4 is not the base64 of a 64-byte trusted comment signature");
  }
  return sig;
}

}  // namespace

// ---- SignerPublicKey --------------------------------------------------------------------

Result<SignerPublicKey> SignerPublicKey::FromMinisignText(std::string_view text) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  std::vector<std::string_view> lines = SplitLines(text);
  if (lines.empty() || (lines.size() == 1 && lines[0].empty())) {
    return InvalidArgument("not a minisign public key: empty");
  }
  // The file format of minisign -G: an untrusted comment line, then the base64 of the key. The
  // base64 line alone is what `minisign -P` takes on the command line; the stock tool refuses
  // it as a file (-p), and so does tvault, so that a key file means the same to both.
  if (lines.size() < 2 || RestIsEmpty(lines, 1)) {
    return InvalidArgument(
        "not a minisign public key file: it must have two lines, \"untrusted comment: ...\" "
        "and the base64 key (as minisign -G writes it)");
  }
  if (!StartsWith(lines[0], kUntrustedCommentPrefix)) {
    return InvalidArgument(
        "not a minisign public key: line 1 does not start with \"untrusted comment: \"");
  }
  if (lines[0].size() > kMaxUntrustedLine) {
    return InvalidArgument("not a minisign public key: line 1 is too long");
  }
  if (!RestIsEmpty(lines, 2)) {
    return InvalidArgument("not a minisign public key: unexpected text after line 2");
  }
  std::string_view b64 = lines[1];
  uint8_t blob[kMinisignPublicKeyBlobSize];
  if (!DecodeBase64Exact(b64, blob, sizeof blob)) {
    return InvalidArgument("not a minisign public key: not the base64 of a " +
                           std::to_string(kMinisignPublicKeyBlobSize) + "-byte key");
  }
  if (std::memcmp(blob, kMinisignAlgPure, 2) != 0) {
    return InvalidArgument("not a minisign Ed25519 public key (algorithm is not \"Ed\")");
  }
  SignerKeyId id;
  std::array<uint8_t, kSignerPublicKeySize> pk;
  std::memcpy(id.data(), blob + 2, id.size());
  std::memcpy(pk.data(), blob + 2 + id.size(), pk.size());
  if (crypto_core_ed25519_is_valid_point(pk.data()) != 1) {
    return InvalidArgument("not a minisign public key: not a valid Ed25519 public key");
  }
  return SignerPublicKey(id, pk);
}

Result<SignerPublicKey> SignerPublicKey::ReadFile(const std::string& path) {
  TVAULT_ASSIGN_OR_RETURN(std::string text, internal::ReadFile(path, kMaxPublicKeyFileBytes));
  auto key = FromMinisignText(text);
  if (!key.ok()) return key.status().WithContext(path);
  return key;
}

std::string SignerPublicKey::ToMinisignText(const std::string& untrusted_comment) const {
  uint8_t blob[kMinisignPublicKeyBlobSize];
  std::memcpy(blob, kMinisignAlgPure, 2);
  std::memcpy(blob + 2, key_id_.data(), key_id_.size());
  std::memcpy(blob + 2 + key_id_.size(), bytes_.data(), bytes_.size());
  return kUntrustedCommentPrefix + SanitizeComment(untrusted_comment, kMaxUntrustedCommentSize) +
         "\n" + Base64(blob, sizeof blob) + "\n";
}

std::string SignerPublicKey::KeyIdHex() const { return KeyIdHexOf(key_id_); }

SignerKeyId DeriveSignerKeyId(const std::array<uint8_t, kSignerPublicKeySize>& public_key) {
  uint8_t h[32];
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, sizeof h);
  crypto_generichash_update(&st, reinterpret_cast<const uint8_t*>(internal::kSignerKeyIdContext),
                            sizeof(internal::kSignerKeyIdContext) - 1);
  crypto_generichash_update(&st, public_key.data(), public_key.size());
  crypto_generichash_final(&st, h, sizeof h);
  SignerKeyId id;
  std::memcpy(id.data(), h, id.size());
  return id;
}

// ---- SignerSecretKey --------------------------------------------------------------------

namespace internal {

Result<SignerSecretKey> SignerFromSeed(const SecretBytes& seed) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  if (seed.size() != kSignerSeedSize) return Internal("signer seed has the wrong size");
  SecretBytes sk(kSignerSecretKeySize);
  if (!sk.valid()) return Internal("cannot allocate secure memory");
  std::array<uint8_t, kSignerPublicKeySize> pk;
  crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  return SignerSecretKey(std::move(sk), SignerPublicKey(DeriveSignerKeyId(pk), pk));
}

}  // namespace internal

Result<SignerSecretKey> SignerSecretKey::Generate() {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  SecretBytes seed(kSignerSeedSize);
  if (!seed.valid()) return Internal("cannot allocate secure memory");
  randombytes_buf(seed.data(), seed.size());
  return internal::SignerFromSeed(seed);
}

Result<std::string> SignerSecretKey::Sign(std::string_view message,
                                          const std::string& trusted_comment) const {
  MinisignHasher hasher;
  hasher.Update(message);
  return SignPrehashed(hasher.Final(), trusted_comment);
}

Result<std::string> SignerSecretKey::SignPrehashed(const MinisignPrehash& prehash,
                                                   const std::string& trusted_comment) const {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  if (secret_.size() != kSignerSecretKeySize) return Internal("signer key is not loaded");
  if (trusted_comment.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
    return InvalidArgument("the trusted comment must be one line (no CR, LF or NUL)");
  }
  if (trusted_comment.size() > kMaxTrustedCommentSize) {
    return InvalidArgument("the trusted comment is longer than " +
                           std::to_string(kMaxTrustedCommentSize) + " bytes");
  }
  const uint8_t* hash = prehash.data();
  constexpr size_t kHashLen = kPrehashSize;
  uint8_t blob[kMinisignSignatureBlobSize];
  uint8_t* sig = blob + 2 + kSignerKeyIdSize;
  std::memcpy(blob, kMinisignAlgHashed, 2);
  std::memcpy(blob + 2, public_key_.key_id().data(), kSignerKeyIdSize);
  crypto_sign_detached(sig, nullptr, hash, kHashLen, secret_.data());
  // Checking against the public half catches a secret key paired with the wrong public key,
  // which would otherwise produce signature files that never verify.
  if (crypto_sign_verify_detached(sig, hash, kHashLen, public_key_.bytes().data()) != 0) {
    return Internal("signer secret and public keys do not match");
  }

  std::string signed_comment(reinterpret_cast<const char*>(sig), kEd25519SignatureSize);
  signed_comment += trusted_comment;
  uint8_t global[kEd25519SignatureSize];
  crypto_sign_detached(global, nullptr, reinterpret_cast<const uint8_t*>(signed_comment.data()),
                       signed_comment.size(), secret_.data());

  return std::string(kUntrustedCommentPrefix) + "signature from tvault signer key " +
         public_key_.KeyIdHex() + "\n" + Base64(blob, sizeof blob) + "\n" +
         kTrustedCommentPrefix + trusted_comment + "\n" + Base64(global, sizeof global) + "\n";
}

// ---- Key files ------------------------------------------------------------------------

Status WriteNewSigner(const std::string& out, const SecretBytes& passphrase,
                      const KdfParams& kdf) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  const std::string pub_path = out + ".pub";
  const std::string key_path = out + ".key";
  TVAULT_RETURN_IF_ERROR(internal::RefuseToOverwrite({pub_path, key_path}));
  SecretBytes seed(kSignerSeedSize);
  if (!seed.valid()) return Internal("cannot allocate secure memory");
  randombytes_buf(seed.data(), seed.size());
  TVAULT_ASSIGN_OR_RETURN(SignerSecretKey key, internal::SignerFromSeed(seed));
  TVAULT_ASSIGN_OR_RETURN(std::string wrapped,
                          internal::SealEnvelope(internal::kSignerKeyMagic, seed, passphrase, kdf));
  const SignerPublicKey& pub = key.public_key();
  // The secret file first: a crash then leaves no public key whose secret was never saved.
  TVAULT_RETURN_IF_ERROR(internal::WriteFileAtomic(key_path, wrapped, 0600, true));
  return internal::WriteFileAtomic(
      pub_path, pub.ToMinisignText("tvault signer public key " + pub.KeyIdHex()), 0644, true);
}

Result<SignerSecretKey> ReadSignerSecretKey(const std::string& path,
                                            const SecretBytes& passphrase) {
  TVAULT_ASSIGN_OR_RETURN(std::string bytes,
                          internal::ReadFile(path, internal::kEnvelopeSize + 1));
  TVAULT_ASSIGN_OR_RETURN(
      SecretBytes seed,
      internal::OpenEnvelope(internal::kSignerKeyMagic, bytes, passphrase, path));
  return internal::SignerFromSeed(seed);
}

// ---- Verification ---------------------------------------------------------------------

namespace {

// Checks the parsed signature `sig` of a message (given whole in `message`, or as its hash in
// `prehash`) and its trusted comment.
Result<std::string> VerifyParsed(const SignerPublicKey& key, const ParsedSignature& sig,
                                 const std::string_view* message,
                                 const MinisignPrehash* prehash) {
  if (sig.key_id() != key.key_id()) {
    return InvalidArgument("signed by key " + KeyIdHexOf(sig.key_id()) + ", expected " +
                           key.KeyIdHex());
  }
  const uint8_t* pk = key.bytes().data();
  int rc;
  if (sig.prehashed()) {
    MinisignPrehash hash;
    if (prehash != nullptr) {
      hash = *prehash;
    } else {
      MinisignHasher hasher;
      hasher.Update(*message);
      hash = hasher.Final();
    }
    rc = crypto_sign_verify_detached(sig.signature(), hash.data(), hash.size(), pk);
  } else if (message != nullptr) {
    rc = crypto_sign_verify_detached(
        sig.signature(), reinterpret_cast<const uint8_t*>(message->data()), message->size(), pk);
  } else {
    return Damaged("not a prehashed (\"ED\") minisign signature");
  }
  if (rc != 0) {
    return Damaged("signature verification failed: the file or its signature was altered");
  }
  std::string signed_comment(reinterpret_cast<const char*>(sig.signature()),
                             kEd25519SignatureSize);
  signed_comment += sig.trusted_comment;
  if (crypto_sign_verify_detached(sig.global,
                                  reinterpret_cast<const uint8_t*>(signed_comment.data()),
                                  signed_comment.size(), pk) != 0) {
    return Damaged(
        "trusted comment signature verification failed: the trusted comment was altered");
  }
  return sig.trusted_comment;
}

}  // namespace

Result<std::string> VerifyMinisign(const SignerPublicKey& key, std::string_view message,
                                   std::string_view signature_text) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  TVAULT_ASSIGN_OR_RETURN(ParsedSignature sig, ParseSignature(signature_text));
  return VerifyParsed(key, sig, &message, nullptr);
}

Result<std::string> VerifyMinisignPrehashed(const SignerPublicKey& key,
                                            const MinisignPrehash& hash,
                                            std::string_view signature_text) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  TVAULT_ASSIGN_OR_RETURN(ParsedSignature sig, ParseSignature(signature_text));
  return VerifyParsed(key, sig, nullptr, &hash);
}

Result<SignerKeyId> MinisignSignatureKeyId(std::string_view signature_text) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  TVAULT_ASSIGN_OR_RETURN(ParsedSignature sig, ParseSignature(signature_text));
  return sig.key_id();
}

std::string SignerKeyIdToHex(const SignerKeyId& id) {
  return internal::ToHex(std::string(reinterpret_cast<const char*>(id.data()), id.size()));
}

// ---- MinisignHasher -------------------------------------------------------------------

static_assert(sizeof(crypto_generichash_state) <= 384, "MinisignHasher state buffer too small");

MinisignHasher::MinisignHasher() {
  if (sodium_init() < 0) return;  // InitCrypto() reports this failure elsewhere
  crypto_generichash_init(reinterpret_cast<crypto_generichash_state*>(state_), nullptr, 0,
                          kMinisignPrehashSize);
}

void MinisignHasher::Update(std::string_view bytes) {
  crypto_generichash_update(reinterpret_cast<crypto_generichash_state*>(state_),
                            reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

MinisignPrehash MinisignHasher::Final() {
  MinisignPrehash out;
  crypto_generichash_final(reinterpret_cast<crypto_generichash_state*>(state_), out.data(),
                           out.size());
  return out;
}

}  // namespace tvault
