// A bundle's decrypted plaintext taken apart, for tests that forge bundles (docs/formats.md,
// "Bundle"): the length-prefixed messages up to and including the trailer, then the rest.
#ifndef TVAULT_TESTS_TESTING_BUNDLE_PLAIN_H_
#define TVAULT_TESTS_TESTING_BUNDLE_PLAIN_H_

#include <string>
#include <vector>

namespace tvault::testing {

struct BundlePlain {
  std::vector<std::string> messages;  // each a serialised v1::BundleMessage, the trailer last
  std::string rest;                   // the signature and the footer
};

// REQUIRES: `plain` is a well-formed plaintext (the tests split bundles tvault wrote).
BundlePlain SplitBundlePlain(const std::string& plain);

}  // namespace tvault::testing

#endif  // TVAULT_TESTS_TESTING_BUNDLE_PLAIN_H_
