// Fuzz target: a consistency proof file (`tvault log check-proof`). The parsed proof is then
// checked between two checkpoints of the sizes it names. Contract: a Status for any bytes, and
// VerifyConsistencyProof terminates quickly whatever sizes the proof claims.
#include <cstddef>
#include <cstdint>

#include "fuzz_common.h"
#include "tvault/audit.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tvault;
  auto proof = ParseConsistencyProof(fuzz::AsText(data, size));
  if (!proof.ok()) return 0;
  Checkpoint older{fuzz::kCheckpointOrigin, proof->old_size, std::string(32, '\x01')};
  Checkpoint newer{fuzz::kCheckpointOrigin, proof->new_size, std::string(32, '\x02')};
  (void)VerifyConsistencyProof(older, newer, *proof);
  if (!proof->hashes.empty()) newer.root = proof->hashes.back();
  (void)VerifyConsistencyProof(older, newer, *proof);
  return 0;
}
