// Fuzz target: a minisign signature file (.minisig) over a fixed message, verified with the
// fixed signer key. Contract: a Status for any bytes; a signature that verifies is the seed's.
#include <cstddef>
#include <cstdint>

#include "fuzz_common.h"
#include "tvault/signing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tvault;
  fuzz::InitOrDie();
  static const SignerPublicKey* key = new SignerPublicKey(fuzz::FuzzSignerKey().public_key());
  (void)VerifyMinisign(*key, fuzz::kSignedMessage, fuzz::AsText(data, size));
  return 0;
}
