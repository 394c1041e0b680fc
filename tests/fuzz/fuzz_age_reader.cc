// Fuzz target: an age v1 file (the container of bundles), read with the fixed organisation
// identity to the end. Contract: a Status for any bytes, and memory bounded by one chunk and
// kAgeMaxHeaderBytes whatever the file claims.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "crypto/age.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tvault;
  fuzz::InitOrDie();
  static const OrgSecretKey* identity = new OrgSecretKey(fuzz::FuzzOrgKey());
  std::istringstream in(std::string(fuzz::AsText(data, size)));
  auto reader = internal::AgeReader::Open(*identity, &in);
  if (!reader.ok()) return 0;
  char buf[4096];
  for (;;) {
    auto n = (*reader)->Read(buf, sizeof(buf));
    if (!n.ok() || *n == 0) break;
  }
  return 0;
}
