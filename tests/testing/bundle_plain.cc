#include "testing/bundle_plain.h"

#include <algorithm>
#include <cstdint>

#include <gtest/gtest.h>

#include "tvault/v1/bundle.pb.h"

namespace tvault::testing {

BundlePlain SplitBundlePlain(const std::string& plain) {
  BundlePlain p;
  size_t pos = 0;
  while (pos < plain.size()) {
    uint64_t len = 0;
    int shift = 0;
    uint8_t c = 0;
    do {
      c = static_cast<uint8_t>(plain[pos++]);
      len |= static_cast<uint64_t>(c & 0x7f) << shift;
      shift += 7;
    } while ((c & 0x80) != 0 && pos < plain.size());
    p.messages.push_back(plain.substr(pos, len));
    pos += len;
    v1::BundleMessage m;
    EXPECT_TRUE(m.ParseFromString(p.messages.back()));
    if (m.has_trailer()) break;
  }
  p.rest = plain.substr(std::min(pos, plain.size()));
  return p;
}

}  // namespace tvault::testing
