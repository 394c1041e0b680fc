#include "crypto/bech32.h"

#include <sodium.h>

#include <cctype>

namespace tvault::internal {
namespace {

constexpr char kCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

uint32_t Polymod(const std::vector<uint8_t>& values) {
  static constexpr uint32_t kGen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                       0x2a1462b3};
  uint32_t chk = 1;
  for (uint8_t v : values) {
    uint8_t top = static_cast<uint8_t>(chk >> 25);
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) chk ^= kGen[i];
    }
  }
  return chk;
}

std::vector<uint8_t> HrpExpand(std::string_view hrp) {
  std::vector<uint8_t> out;
  for (char c : hrp) out.push_back(static_cast<uint8_t>(c) >> 5);
  out.push_back(0);
  for (char c : hrp) out.push_back(static_cast<uint8_t>(c) & 31);
  return out;
}

// Regroups bits; `pad` adds a final partial group (encoding), otherwise a non-zero or too
// long remainder is an error (decoding).
bool ConvertBits(const std::vector<uint8_t>& in, int from, int to, bool pad,
                 std::vector<uint8_t>* out) {
  uint32_t acc = 0;
  int bits = 0;
  const uint32_t maxv = (1u << to) - 1;
  for (uint8_t v : in) {
    if ((v >> from) != 0) return false;
    acc = (acc << from) | v;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out->push_back(static_cast<uint8_t>((acc >> bits) & maxv));
    }
  }
  if (pad) {
    if (bits > 0) out->push_back(static_cast<uint8_t>((acc << (to - bits)) & maxv));
  } else if (bits >= from || ((acc << (to - bits)) & maxv) != 0) {
    return false;
  }
  return true;
}

}  // namespace

size_t Bech32EncodedSize(std::string_view hrp, size_t data_size) {
  return hrp.size() + 1 + (data_size * 8 + 4) / 5 + 6;
}

void Bech32EncodeInto(std::string_view hrp, const uint8_t* data, size_t size, char* out) {
  // The 5-bit groups are the data itself (a secret key, for an age identity): every buffer is
  // sized up front, so none is reallocated (leaving a copy behind), and wiped before release.
  std::vector<uint8_t> in(data, data + size);
  std::vector<uint8_t> values;
  values.reserve((size * 8 + 4) / 5);
  ConvertBits(in, 8, 5, true, &values);
  std::vector<uint8_t> chk_in = HrpExpand(hrp);
  chk_in.reserve(hrp.size() * 2 + 1 + values.size() + 6);
  chk_in.insert(chk_in.end(), values.begin(), values.end());
  chk_in.insert(chk_in.end(), 6, 0);
  const uint32_t mod = Polymod(chk_in) ^ 1;
  size_t n = 0;
  for (char c : hrp) out[n++] = c;
  out[n++] = '1';
  for (uint8_t v : values) out[n++] = kCharset[v];
  for (int i = 0; i < 6; ++i) out[n++] = kCharset[(mod >> (5 * (5 - i))) & 31];
  for (std::vector<uint8_t>* v : {&in, &values, &chk_in}) sodium_memzero(v->data(), v->size());
}

std::string Bech32Encode(std::string_view hrp, const std::vector<uint8_t>& data) {
  std::string out(Bech32EncodedSize(hrp, data.size()), '\0');
  Bech32EncodeInto(hrp, data.data(), data.size(), out.data());
  return out;
}

Result<std::vector<uint8_t>> Bech32Decode(std::string_view hrp, std::string_view text) {
  bool lower = false, upper = false;
  std::string s;
  for (char c : text) {
    if (c < 33 || c > 126) return InvalidArgument("not a Bech32 string (bad character)");
    if (std::islower(static_cast<unsigned char>(c))) lower = true;
    if (std::isupper(static_cast<unsigned char>(c))) upper = true;
    s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (lower && upper) return InvalidArgument("not a Bech32 string (mixed case)");
  size_t sep = s.rfind('1');
  if (sep == std::string::npos || sep == 0 || sep + 7 > s.size()) {
    return InvalidArgument("not a Bech32 string (no separator or too short)");
  }
  std::string got_hrp = s.substr(0, sep);
  std::string want_hrp;
  for (char c : hrp) want_hrp.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (got_hrp != want_hrp) {
    return InvalidArgument("expected a \"" + want_hrp + "1...\" string");
  }
  std::vector<uint8_t> values;
  for (size_t i = sep + 1; i < s.size(); ++i) {
    const char* pos = nullptr;
    for (const char* c = kCharset; *c; ++c) {
      if (*c == s[i]) pos = c;
    }
    if (pos == nullptr) return InvalidArgument("not a Bech32 string (bad character)");
    values.push_back(static_cast<uint8_t>(pos - kCharset));
  }
  std::vector<uint8_t> chk_in = HrpExpand(got_hrp);
  chk_in.insert(chk_in.end(), values.begin(), values.end());
  if (Polymod(chk_in) != 1) return InvalidArgument("Bech32 checksum mismatch (mistyped or altered)");
  values.resize(values.size() - 6);
  std::vector<uint8_t> data;
  if (!ConvertBits(values, 5, 8, false, &data)) {
    return InvalidArgument("not a Bech32 string (bad padding)");
  }
  return data;
}

}  // namespace tvault::internal
