#include "crypto/seal.h"

#include <sodium.h>

#include <algorithm>

namespace tvault::internal {

Result<std::string> SealToOrg(const OrgPublicKey& org, std::string_view plaintext) {
  std::string out(plaintext.size() + crypto_box_SEALBYTES, '\0');
  // crypto_box_seal fails for a low-order recipient key (all zeros among them): the box would
  // open for nobody, and the identity in it would be lost without a word.
  if (crypto_box_seal(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                      org.bytes().data()) != 0) {
    return InvalidArgument("the organisation key " + org.Fingerprint() +
                           " is not a usable X25519 key (low order); nothing can be sealed to it");
  }
  return out;
}

Result<SecretBytes> OpenSealed(const OrgSecretKey& org, std::string_view sealed) {
  if (sealed.size() < crypto_box_SEALBYTES) return Damaged("sealed block is too short");
  SecretBytes out(sealed.size() - crypto_box_SEALBYTES);
  if (!out.valid()) return Internal("cannot allocate secure memory");
  if (crypto_box_seal_open(out.data(), reinterpret_cast<const unsigned char*>(sealed.data()),
                           sealed.size(), org.public_key().bytes().data(),
                           org.secret().data()) != 0) {
    return Damaged("sealed block does not open with this organisation key");
  }
  return out;
}

Result<size_t> OpenSealedInto(const OrgSecretKey& org, std::string_view sealed,
                              SecretBytes* buffer) {
  if (sealed.size() < crypto_box_SEALBYTES) return Damaged("sealed block is too short");
  const size_t size = sealed.size() - crypto_box_SEALBYTES;
  if (buffer->size() < size) {
    // Room for typical identities at once, so that the buffer is rarely replaced.
    *buffer = SecretBytes(std::max<size_t>(size, 1024));
    if (!buffer->valid()) return Internal("cannot allocate secure memory");
  }
  if (crypto_box_seal_open(buffer->data(), reinterpret_cast<const unsigned char*>(sealed.data()),
                           sealed.size(), org.public_key().bytes().data(),
                           org.secret().data()) != 0) {
    return Damaged("sealed block does not open with this organisation key");
  }
  return size;
}

}  // namespace tvault::internal
