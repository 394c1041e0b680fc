// Bech32 (BIP 173 checksum, without its 90-character limit), as used by age v1 for recipients
// ("age1...") and identities ("AGE-SECRET-KEY-1...").
#ifndef TVAULT_CRYPTO_BECH32_H_
#define TVAULT_CRYPTO_BECH32_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tvault/status.h"

namespace tvault::internal {

// Encodes 8-bit `data` under human-readable part `hrp` (lower case). The result is lower case.
std::string Bech32Encode(std::string_view hrp, const std::vector<uint8_t>& data);

// The length of the Bech32 encoding of `data_size` bytes under `hrp`.
size_t Bech32EncodedSize(std::string_view hrp, size_t data_size);

// Bech32Encode into `out` (REQUIRES: Bech32EncodedSize(hrp, size) bytes), for secrets: no
// std::string holds the result, and the intermediate buffers are wiped.
void Bech32EncodeInto(std::string_view hrp, const uint8_t* data, size_t size, char* out);

// Decodes a Bech32 string (all lower or all upper case) whose human-readable part must equal
// `hrp` (compared case-insensitively). Returns the 8-bit data.
Result<std::vector<uint8_t>> Bech32Decode(std::string_view hrp, std::string_view text);

}  // namespace tvault::internal

#endif  // TVAULT_CRYPTO_BECH32_H_
