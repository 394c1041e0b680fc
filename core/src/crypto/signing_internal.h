// Internals of signer keys shared by signing.cc and its tests.
#ifndef TVAULT_CRYPTO_SIGNING_INTERNAL_H_
#define TVAULT_CRYPTO_SIGNING_INTERNAL_H_

#include <cstddef>

#include "tvault/secret.h"
#include "tvault/signing.h"
#include "tvault/status.h"

namespace tvault::internal {

// The envelope magic of signer.key files (see crypto/envelope.h); payload = the Ed25519 seed.
constexpr char kSignerKeyMagic[] = "TVLTSIGK";

// The context string hashed before the public key to derive a tvault key id.
constexpr char kSignerKeyIdContext[] = "tvault signer key id";

// minisign's algorithm tags, the first two bytes of its binary structures.
constexpr char kMinisignAlgPure[] = "Ed";    // public keys; legacy signatures over the message
constexpr char kMinisignAlgHashed[] = "ED";  // signatures over BLAKE2b-512(message)

// The fixed line prefixes of minisign files.
constexpr char kUntrustedCommentPrefix[] = "untrusted comment: ";
constexpr char kTrustedCommentPrefix[] = "trusted comment: ";

// Binary sizes: "Ed" || key id || pk and alg || key id || signature.
constexpr size_t kMinisignPublicKeyBlobSize = 2 + kSignerKeyIdSize + kSignerPublicKeySize;  // 42
constexpr size_t kMinisignSignatureBlobSize = 2 + kSignerKeyIdSize + 64;                    // 74

// Expands a 32-byte Ed25519 seed (REQUIRES: seed.size() == kSignerSeedSize) into a signer key
// whose key id is DeriveSignerKeyId(public key).
Result<SignerSecretKey> SignerFromSeed(const SecretBytes& seed);

}  // namespace tvault::internal

#endif  // TVAULT_CRYPTO_SIGNING_INTERNAL_H_
