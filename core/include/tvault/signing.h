// Signer keys and signatures in the minisign format.
//
// Every monitor and analyst has an Ed25519 signer key. Reports, bundles and audit-log
// checkpoints are signed with it, and the signatures are minisign signature files, so that
// anyone can check them with the stock `minisign` tool:
//
//   minisign -V -p signer.pub -m report.pdf -x report.pdf.minisig
//
// signer.pub is a minisign public key file; signer.key is a tvault passphrase envelope holding
// the Ed25519 seed (it is NOT a minisign secret key file: only tvault signs). Byte layouts and
// the key id derivation: docs/signing.md.
#ifndef TVAULT_SIGNING_H_
#define TVAULT_SIGNING_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tvault/keys.h"
#include "tvault/secret.h"
#include "tvault/status.h"

namespace tvault {

constexpr size_t kSignerKeyIdSize = 8;       // minisign "key number"
constexpr size_t kSignerPublicKeySize = 32;  // Ed25519 public key
constexpr size_t kSignerSecretKeySize = 64;  // libsodium Ed25519 secret key: seed || public key
constexpr size_t kSignerSeedSize = 32;       // Ed25519 seed, what signer.key stores

// The longest trusted comment Sign() accepts: the stock minisign tool reads the trusted-comment
// line into an 8192-byte buffer, so a longer comment would not verify there.
constexpr size_t kMaxTrustedCommentSize = 8173;
// The longest untrusted comment that minisign reads back whole (a 1024-byte line buffer).
constexpr size_t kMaxUntrustedCommentSize = 1003;

using SignerKeyId = std::array<uint8_t, kSignerKeyIdSize>;

// BLAKE2b-512 of a message: what minisign's prehashed "ED" signatures sign.
constexpr size_t kMinisignPrehashSize = 64;
using MinisignPrehash = std::array<uint8_t, kMinisignPrehashSize>;

// Hashes a message in pieces for SignPrehashed and VerifyMinisignPrehashed.
class MinisignHasher {
 public:
  MinisignHasher();
  void Update(std::string_view bytes);
  // REQUIRES: called once.
  MinisignPrehash Final();

 private:
  alignas(64) unsigned char state_[384];  // crypto_generichash_state (checked in signing.cc)
};

// The public half of a signer key: the 8-byte key id and the Ed25519 public key, exactly what a
// minisign public key file carries.
class SignerPublicKey {
 public:
  SignerPublicKey() = default;
  SignerPublicKey(const SignerKeyId& key_id,
                  const std::array<uint8_t, kSignerPublicKeySize>& bytes)
      : key_id_(key_id), bytes_(bytes) {}

  // Parses a minisign public key: either the whole file ("untrusted comment: ..." line, then the
  // base64 of "Ed" || key id || public key) or only its base64 line (what `minisign -P` takes).
  // A trailing newline and CR-LF line ends are accepted. kInvalidArgument, naming what is wrong,
  // for anything else.
  static Result<SignerPublicKey> FromMinisignText(std::string_view text);

  // Reads a minisign public key file (at most 4 KiB). kNotFound when it does not exist;
  // kInvalidArgument, prefixed with `path`, when it is not a minisign public key.
  static Result<SignerPublicKey> ReadFile(const std::string& path);

  // The minisign public key file text: "untrusted comment: <comment>\n<base64>\n". CR, LF and
  // NUL in `untrusted_comment` become spaces and it is cut to kMaxUntrustedCommentSize bytes,
  // so the result always parses (with this class and with minisign).
  std::string ToMinisignText(const std::string& untrusted_comment) const;

  // The key id as the minisign tool prints it: the 8 bytes read as a little-endian 64-bit
  // integer, in upper-case hexadecimal. Like minisign (printf "%lX"), leading zeros are not
  // printed, so it has 16 digits except for the one key id in 16 whose top digit is 0.
  std::string KeyIdHex() const;

  const SignerKeyId& key_id() const { return key_id_; }
  const std::array<uint8_t, kSignerPublicKeySize>& bytes() const { return bytes_; }

  bool operator==(const SignerPublicKey& o) const {
    return key_id_ == o.key_id_ && bytes_ == o.bytes_;
  }
  bool operator!=(const SignerPublicKey& o) const { return !(*this == o); }

 private:
  SignerKeyId key_id_{};
  std::array<uint8_t, kSignerPublicKeySize> bytes_{};
};

// The tvault key id of an Ed25519 public key: the first 8 bytes of
// BLAKE2b-256("tvault signer key id" || public_key). Derived, so signer.key need not store it.
SignerKeyId DeriveSignerKeyId(const std::array<uint8_t, kSignerPublicKeySize>& public_key);

// The secret half of a signer key, in sodium_malloc memory (wiped when destroyed). Move-only.
class SignerSecretKey {
 public:
  // A fresh random key pair, held only in memory. Its key id is DeriveSignerKeyId(public key).
  static Result<SignerSecretKey> Generate();

  // Signs `message` and returns a complete minisign signature file (4 lines, each ending in
  // "\n"): the prehashed "ED" algorithm, Ed25519 over BLAKE2b-512(message), and the global
  // signature over the signature and `trusted_comment`. kInvalidArgument when the trusted
  // comment contains CR, LF or NUL or is longer than kMaxTrustedCommentSize bytes.
  Result<std::string> Sign(std::string_view message, const std::string& trusted_comment) const;

  // The same signature file, from the BLAKE2b-512 hash of the message computed by the caller
  // (MinisignHasher), so that a message of any size is signed while it streams by.
  Result<std::string> SignPrehashed(const MinisignPrehash& hash,
                                    const std::string& trusted_comment) const;

  const SignerPublicKey& public_key() const { return public_key_; }

  // REQUIRES: `secret` is a 64-byte libsodium Ed25519 secret key whose public half is
  // `public_key.bytes()`. Prefer Generate() and ReadSignerSecretKey().
  SignerSecretKey(SecretBytes secret, const SignerPublicKey& public_key)
      : secret_(std::move(secret)), public_key_(public_key) {}

 private:
  SecretBytes secret_;
  SignerPublicKey public_key_;
};

// Generates a new signer key and writes `<out>.key` (mode 0600: the seed in a passphrase
// envelope) and `<out>.pub` (mode 0644: a minisign public key file, so that
// `minisign -V -p <out>.pub` works). Refuses (kAlreadyExists) when either file exists, before
// writing anything. kInvalidArgument for an empty passphrase or KDF parameters out of range.
Status WriteNewSigner(const std::string& out, const SecretBytes& passphrase,
                      const KdfParams& kdf);

// Reads and unwraps a signer.key file. kWrongPassphrase when the passphrase does not open it,
// kDamaged when the file was altered or is not a signer key file, kNotFound when it is missing.
Result<SignerSecretKey> ReadSignerSecretKey(const std::string& path,
                                            const SecretBytes& passphrase);

// Verifies a minisign signature file made by `key` over `message`: both the signature of the
// message (prehashed "ED", or legacy "Ed" over the message itself) and the global signature
// over the trusted comment. Returns the trusted comment. Errors, each message saying what
// failed:
//   kDamaged          the text is not a minisign signature file (with the line or field at
//                     fault), the signature does not match the message ("signature
//                     verification failed"), or the trusted comment was altered ("trusted
//                     comment signature verification failed");
//   kInvalidArgument  the signature was made by another key ("signed by key X, expected Y").
// Anything this accepts, the stock minisign tool accepts too.
Result<std::string> VerifyMinisign(const SignerPublicKey& key, std::string_view message,
                                   std::string_view signature_text);

// VerifyMinisign for a message known only by its BLAKE2b-512 hash (MinisignHasher). Accepts
// only prehashed "ED" signatures (a legacy "Ed" signature needs the whole message: kDamaged).
Result<std::string> VerifyMinisignPrehashed(const SignerPublicKey& key,
                                            const MinisignPrehash& hash,
                                            std::string_view signature_text);

// The key id a minisign signature file names (line 2), without verifying anything. kDamaged
// when the text is not a minisign signature file.
Result<SignerKeyId> MinisignSignatureKeyId(std::string_view signature_text);

// The key id as 16 lower-case hex digits of its 8 bytes in file order (how tvault stores it).
std::string SignerKeyIdToHex(const SignerKeyId& id);

}  // namespace tvault

#endif  // TVAULT_SIGNING_H_
