// Shared by the bit-flip tests (tests/core/bitflip*_test.cc): one bit flipped in a copy of some
// bytes, and the loop that flips every bit in turn and expects each altered copy rejected.
#ifndef TVAULT_TESTS_TESTING_BITFLIP_H_
#define TVAULT_TESTS_TESTING_BITFLIP_H_

#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <initializer_list>
#include <string>

#include "tvault/status.h"

namespace tvault::testing {

// `bytes` with bit `bit` flipped (bit % 8 of byte bit / 8). REQUIRES: bit < 8 * bytes.size().
inline std::string Flip(const std::string& bytes, size_t bit) {
  std::string out = bytes;
  out[bit / 8] = static_cast<char>(out[bit / 8] ^ (1 << (bit % 8)));
  return out;
}

// Flips every bit of `original` in turn, calls `check` on the altered bytes, and expects a
// non-OK Status with a non-empty message whose code is one of `codes`. Returns how many were
// rejected (all of them when the test passes) and prints the figure.
inline size_t ExpectEveryFlipRejected(const std::string& what, const std::string& original,
                                      const std::function<Status(const std::string&)>& check,
                                      std::initializer_list<Code> codes) {
  size_t rejected = 0;
  for (size_t bit = 0; bit < original.size() * 8; ++bit) {
    const Status s = check(Flip(original, bit));
    if (s.ok()) {
      ADD_FAILURE() << what << ": bit " << bit << " (byte " << bit / 8 << ") flipped, accepted";
      continue;
    }
    bool expected_code = false;
    for (Code c : codes) expected_code |= s.code() == c;
    EXPECT_TRUE(expected_code) << what << ": bit " << bit << ": unexpected code for \""
                               << s.message() << "\"";
    EXPECT_FALSE(s.message().empty()) << what << ": bit " << bit;
    ++rejected;
  }
  std::printf("bit flips: %s: %zu of %zu rejected\n", what.c_str(), rejected,
              original.size() * 8);
  return rejected;
}

}  // namespace tvault::testing

#endif  // TVAULT_TESTS_TESTING_BITFLIP_H_
