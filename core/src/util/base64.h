// A guard for libsodium's base64 decoder, which maps some bytes outside the base64 alphabet to
// alphabet values (seen: 0xAF decodes as '/', the byte with its top bit flipped). Without this
// check a bit flip in a signature, checkpoint or age header line could go unnoticed.
#ifndef TVAULT_UTIL_BASE64_H_
#define TVAULT_UTIL_BASE64_H_

#include <string_view>

namespace tvault::internal {

// True when every byte of `text` is in the standard base64 alphabet (A-Z, a-z, 0-9, '+', '/')
// or is '=' (padding). Says nothing about the placement of '=' or the length: the decoder
// checks those. Every call of sodium_base642bin on outside input is preceded by this check.
inline bool IsBase64Alphabet(std::string_view text) {
  for (char ch : text) {
    const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                    (ch >= '0' && ch <= '9') || ch == '+' || ch == '/' || ch == '=';
    if (!ok) return false;
  }
  return true;
}

}  // namespace tvault::internal

#endif  // TVAULT_UTIL_BASE64_H_
