// The environment that preloads tests/testing/fault_shim.cc into tvault (cli tests only).
#ifndef TVAULT_TESTS_CLI_FAULT_SHIM_ENV_H_
#define TVAULT_TESTS_CLI_FAULT_SHIM_ENV_H_

#include <cstdlib>
#include <string>
#include <vector>

namespace tvault::testing {

// The environment that preloads the fault shim (tests/testing/fault_shim.cc) into tvault, with
// the shim's `settings` ("TVAULT_SHIM_...=..."). In the sanitizer build ASan must not refuse a
// library loaded before its runtime: verify_asan_link_order=0 is added to ASAN_OPTIONS.
inline std::vector<std::string> ShimEnv(std::vector<std::string> settings) {
  const char* asan = std::getenv("ASAN_OPTIONS");
  settings.push_back(std::string("ASAN_OPTIONS=") + (asan != nullptr ? asan : "") +
                     (asan != nullptr && *asan != '\0' ? ":" : "") +
                     "verify_asan_link_order=0");
  settings.push_back(std::string("LD_PRELOAD=") + TVAULT_FAULT_SHIM);
  return settings;
}

}  // namespace tvault::testing

#endif  // TVAULT_TESTS_CLI_FAULT_SHIM_ENV_H_
