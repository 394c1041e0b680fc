// Fuzz target: a signed checkpoint note (`tvault log verify --checkpoint`, reports, bundles)
// and a verifier key. The input is verified against the fixed store key, and also used as the
// verifier key of a valid note. Contract: a Status for any bytes; a note that verifies names
// the fixed origin.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz_common.h"
#include "store/checkpoint.h"
#include "tvault/audit.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tvault;
  fuzz::InitOrDie();
  static const SecretBytes* seed = new SecretBytes(fuzz::FuzzCheckpointSeed());
  static const std::string* key =
      new std::string(internal::VerifierKeyFor(fuzz::kCheckpointOrigin, *seed));
  static const std::string* valid_note = new std::string(internal::SignCheckpoint(
      Checkpoint{fuzz::kCheckpointOrigin, 3, std::string(32, '\x07')}, *seed));

  const std::string_view text = fuzz::AsText(data, size);
  auto cp = VerifyCheckpointNote(text, *key);
  if (cp.ok()) {
    if (cp->origin != fuzz::kCheckpointOrigin || cp->root.size() != 32) std::abort();
    const std::string body = internal::CheckpointBody(*cp);
    if (text.substr(0, body.size() + 1) == body + "\n") {
      const std::string canonical = internal::SignCheckpoint(*cp, *seed);
      const std::string sig_line = canonical.substr(body.size() + 1);  // "— name sig\n"
      if (text.find(sig_line) == std::string_view::npos) std::abort();
    }
  }
  (void)VerifyCheckpointNote(*valid_note, text);
  return 0;
}
