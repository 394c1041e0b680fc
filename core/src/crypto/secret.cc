#include "tvault/secret.h"

#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cstring>
#include <utility>

namespace tvault {

Status InitCrypto() {
  if (sodium_init() < 0) return Status(Code::kUnsupported, "libsodium failed to initialise");
  return Status::Ok();
}

SecretBytes::SecretBytes(size_t size) {
  if (sodium_init() < 0) return;
  // sodium_malloc(0) is valid but yields a pointer we must not touch; keep one byte instead.
  data_ = static_cast<uint8_t*>(sodium_malloc(size == 0 ? 1 : size));
  if (data_ == nullptr) return;
  size_ = size;
  sodium_memzero(data_, size == 0 ? 1 : size);
}

SecretBytes::~SecretBytes() {
  // sodium_free wipes the buffer before releasing it.
  if (data_ != nullptr) sodium_free(data_);
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) sodium_free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

SecretBytes SecretBytes::CopyOf(const void* data, size_t size) {
  SecretBytes s(size);
  if (s.valid() && size > 0) std::memcpy(s.data_, data, size);
  return s;
}

Status DisableCoreDumps() {
  struct rlimit none = {0, 0};
  if (setrlimit(RLIMIT_CORE, &none) != 0) return IoError("cannot disable core dumps (RLIMIT_CORE)");
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return IoError("cannot disable core dumps (PR_SET_DUMPABLE)");
  return Status::Ok();
}

}  // namespace tvault
