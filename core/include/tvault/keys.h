// The organisation key pair and the passphrase-protected key files.
//
// The organisation key is an X25519 key pair. Its public half (org.pub) is on every monitor's
// device and seals identity fields; its secret half (org.key) stays with coordinators, wrapped
// under a passphrase. org.pub is an age v1 recipient ("age1..."), so that bundles can later be
// encrypted to the same key with a published format. Formats: docs/formats.md.
#ifndef TVAULT_KEYS_H_
#define TVAULT_KEYS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "tvault/secret.h"
#include "tvault/status.h"

namespace tvault {

// Argon2id cost. Stored beside the salt in every key file, so a file made with one profile
// opens under any build.
struct KdfParams {
  uint64_t opslimit = 0;
  uint64_t memlimit = 0;  // bytes

  static KdfParams Interactive();  // libsodium INTERACTIVE: 64 MiB, ~0.1 s
  static KdfParams Moderate();     // libsodium MODERATE: 256 MiB, ~0.4 s (the default)
  static KdfParams Sensitive();    // libsodium SENSITIVE: 1 GiB, ~2 s
  // Parses "interactive", "moderate" or "sensitive".
  static Result<KdfParams> FromName(std::string_view name);
};

constexpr size_t kOrgKeySize = 32;  // X25519 public and secret keys

class OrgPublicKey {
 public:
  OrgPublicKey() = default;
  explicit OrgPublicKey(const std::array<uint8_t, kOrgKeySize>& bytes) : bytes_(bytes) {}
  const std::array<uint8_t, kOrgKeySize>& bytes() const { return bytes_; }

  // The age v1 recipient string: Bech32 with human-readable part "age".
  std::string ToAgeRecipient() const;
  static Result<OrgPublicKey> FromAgeRecipient(std::string_view text);

  // A short fingerprint for display: the first 16 hex digits of BLAKE2b-256(key).
  std::string Fingerprint() const;

  // True for a key of small order (all zeros among them): every X25519 shared secret with it
  // is zero, so nothing can be sealed to it. FromAgeRecipient refuses such keys.
  bool IsLowOrder() const;

 private:
  std::array<uint8_t, kOrgKeySize> bytes_{};
};

class OrgSecretKey {
 public:
  OrgSecretKey(SecretBytes secret, OrgPublicKey pub) : secret_(std::move(secret)), pub_(pub) {}
  const SecretBytes& secret() const { return secret_; }
  const OrgPublicKey& public_key() const { return pub_; }

 private:
  SecretBytes secret_;
  OrgPublicKey pub_;
};

// Generates a new organisation key pair and writes `<out>.pub` and `<out>.key` (mode 0600).
// Refuses to overwrite either file. REQUIRES: passphrase is not empty.
Status WriteNewOrgKeyPair(const std::string& out, const SecretBytes& passphrase,
                          const KdfParams& kdf);

// Reads an org.pub file: one line "age1...", optionally preceded by "#" comment lines.
Result<OrgPublicKey> ReadOrgPublicKey(const std::string& path);

// Parses the text of an org.pub file (as ReadOrgPublicKey does after reading it): the first
// line that is neither blank nor a "#" comment must be an age recipient; trailing CR and
// spaces are ignored. kInvalidArgument, prefixed with `what`, otherwise.
Result<OrgPublicKey> ParseOrgPublicKey(std::string_view text, const std::string& what);

// Reads and unwraps an org.key file. kWrongPassphrase when the passphrase does not open it,
// kDamaged when the file was altered or is not an org key file.
Result<OrgSecretKey> ReadOrgSecretKey(const std::string& path, const SecretBytes& passphrase);

}  // namespace tvault

#endif  // TVAULT_KEYS_H_
