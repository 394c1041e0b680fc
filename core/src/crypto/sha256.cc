#include "crypto/sha256.h"

#include <openssl/evp.h>

namespace tvault::internal {

namespace {

// Fetched once: an implicit fetch by EVP_sha256() on every init costs a lookup per record.
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

}  // namespace

Sha256Hasher::Sha256Hasher() {
  if (Sha256Md() != nullptr) ctx_ = EVP_MD_CTX_new();
  Init();
}

Sha256Hasher::~Sha256Hasher() {
  EVP_MD_CTX_free(ctx_);
  sodium_memzero(&fallback_, sizeof fallback_);
}

void Sha256Hasher::Init() {
  failed_ = false;
  if (ctx_ != nullptr && EVP_DigestInit_ex(ctx_, Sha256Md(), nullptr) == 1) return;
  EVP_MD_CTX_free(ctx_);
  ctx_ = nullptr;
  crypto_hash_sha256_init(&fallback_);
}

void Sha256Hasher::Update(std::string_view bytes) {
  if (bytes.empty()) return;
  if (ctx_ != nullptr) {
    if (EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()) != 1) failed_ = true;
    return;
  }
  crypto_hash_sha256_update(&fallback_, reinterpret_cast<const unsigned char*>(bytes.data()),
                            bytes.size());
}

Result<std::string> Sha256Hasher::Final() {
  std::string out(kSha256Bytes, '\0');
  unsigned int len = 0;
  if (ctx_ != nullptr) {
    if (EVP_DigestFinal_ex(ctx_, reinterpret_cast<unsigned char*>(out.data()), &len) != 1 ||
        len != kSha256Bytes) {
      failed_ = true;
    }
  } else {
    crypto_hash_sha256_final(&fallback_, reinterpret_cast<unsigned char*>(out.data()));
  }
  const bool failed = failed_;
  Init();
  if (failed) return Internal("SHA-256 failed in libcrypto");
  return out;
}

Result<std::string> Sha256Of(std::string_view bytes) {
  // One context per thread, reused: making and freeing one costs as much as hashing a body.
  thread_local Sha256Hasher hasher;
  hasher.Update(bytes);
  return hasher.Final();
}

}  // namespace tvault::internal
