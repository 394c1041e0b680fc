// Sealing identity blocks to the organisation key (crypto_box_seal: anonymous sender, only the
// holder of the organisation secret can open).
#ifndef TVAULT_CRYPTO_SEAL_H_
#define TVAULT_CRYPTO_SEAL_H_

#include <string>
#include <string_view>

#include "tvault/keys.h"
#include "tvault/secret.h"

namespace tvault::internal {

// Returns crypto_box_seal(plaintext) to `org`: 48 bytes longer than the plaintext.
// kInvalidArgument when crypto_box_seal fails (a low-order key such as all zeros).
Result<std::string> SealToOrg(const OrgPublicKey& org, std::string_view plaintext);

// Opens a sealed blob with the organisation secret. kDamaged when it does not open.
Result<SecretBytes> OpenSealed(const OrgSecretKey& org, std::string_view sealed);

// Like OpenSealed, but opens into `*buffer`, which is replaced by a larger sodium_malloc
// buffer only when too small, and returns the length of the plaintext at its start. Bulk
// callers keep one buffer: each sodium_malloc costs several system calls (guard pages, mlock).
Result<size_t> OpenSealedInto(const OrgSecretKey& org, std::string_view sealed,
                              SecretBytes* buffer);

}  // namespace tvault::internal

#endif  // TVAULT_CRYPTO_SEAL_H_
