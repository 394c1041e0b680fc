// Memory for secrets: passphrases, data keys, secret halves of key pairs.
#ifndef TVAULT_SECRET_H_
#define TVAULT_SECRET_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tvault/status.h"

namespace tvault {

// Calls sodium_init() once. Every other function of the library calls it too; the CLI calls it
// first so a broken libsodium is reported before any prompt.
Status InitCrypto();

// A fixed-size buffer in sodium_malloc memory: guard pages around it, locked out of swap
// where the OS allows, excluded from core dumps, and wiped when freed. Move-only.
class SecretBytes {
 public:
  SecretBytes() = default;
  // REQUIRES: InitCrypto() succeeded. Aborts the allocation (empty buffer, size() == 0) only
  // when sodium_malloc fails; callers check with valid().
  explicit SecretBytes(size_t size);
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  static SecretBytes CopyOf(const void* data, size_t size);

  bool valid() const { return data_ != nullptr; }
  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  std::string_view view() const {
    return std::string_view(reinterpret_cast<const char*>(data_), size_);
  }

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Disables core dumps for this process (RLIMIT_CORE 0, PR_SET_DUMPABLE 0), so a crash never
// writes keys or plaintext to disk.
Status DisableCoreDumps();

}  // namespace tvault

#endif  // TVAULT_SECRET_H_
