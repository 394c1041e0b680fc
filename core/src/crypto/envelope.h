// The passphrase envelope: a 32-byte secret wrapped under Argon2id(passphrase). Used by the
// store key file (store.key) and the organisation secret key file (org.key). Byte layout in
// docs/formats.md ("Passphrase envelope").
#ifndef TVAULT_CRYPTO_ENVELOPE_H_
#define TVAULT_CRYPTO_ENVELOPE_H_

#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tvault/keys.h"
#include "tvault/secret.h"
#include "tvault/status.h"

namespace tvault::internal {

constexpr size_t kEnvelopeMagicSize = 8;
constexpr char kStoreKeyMagic[] = "TVLTSKEY";  // store.key
constexpr char kOrgKeyMagic[] = "TVLTOKEY";    // org.key
constexpr uint8_t kEnvelopeVersion = 1;
constexpr uint8_t kEnvelopeKdfArgon2id13 = 2;  // crypto_pwhash_ALG_ARGON2ID13
constexpr size_t kEnvelopeSaltSize = 16;
constexpr size_t kEnvelopeNonceSize = 24;
constexpr size_t kEnvelopeHeaderSize = 8 + 1 + 1 + 2 + 8 + 8 + kEnvelopeSaltSize + kEnvelopeNonceSize;  // 68
constexpr size_t kEnvelopePayloadSize = 32;
constexpr size_t kEnvelopeTagSize = 16;
constexpr size_t kEnvelopeSize = kEnvelopeHeaderSize + kEnvelopePayloadSize + kEnvelopeTagSize;  // 116

// The largest KDF cost a file may ask for, checked before Argon2id runs: twice the sensitive
// profile (libsodium SENSITIVE: 1 GiB, 4 passes), the most tvault ever writes. A tampered key
// file cannot make an unlock allocate more than 2 GiB or run longer than about eight passes of
// 2 GiB (issue 19, item 7; it was 4 GiB and 64 passes).
constexpr uint64_t kMaxKdfMemlimit = 2 * static_cast<uint64_t>(crypto_pwhash_MEMLIMIT_SENSITIVE);
constexpr uint64_t kMaxKdfOpslimit = 2 * static_cast<uint64_t>(crypto_pwhash_OPSLIMIT_SENSITIVE);

// Wraps `payload` (REQUIRES: 32 bytes) under `passphrase` with a fresh salt and nonce.
// `magic` (REQUIRES: 8 chars) names the kind of file and is authenticated with the header.
Result<std::string> SealEnvelope(std::string_view magic, const SecretBytes& payload,
                                 const SecretBytes& passphrase, const KdfParams& kdf);

// Unwraps an envelope. kDamaged when the bytes are not an envelope of kind `magic` (wrong
// size, magic, version or absurd KDF parameters), kUnsupported for a newer version,
// kWrongPassphrase when authentication fails. `what` names the file in messages.
Result<SecretBytes> OpenEnvelope(std::string_view magic, std::string_view bytes,
                                 const SecretBytes& passphrase, const std::string& what);

// The KDF parameters written in an envelope, without opening it.
Result<KdfParams> EnvelopeKdf(std::string_view bytes);

}  // namespace tvault::internal

#endif  // TVAULT_CRYPTO_ENVELOPE_H_
