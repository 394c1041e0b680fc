// Fuzz target: a minisign signature file (.minisig) over a fixed message, verified with the
// fixed signer key. Contract: a Status for any bytes, and a signature that verifies carries the
// very base64 lines the key makes for its trusted comment (Ed25519 is deterministic), so no
// other spelling of a valid signature (e.g. a byte outside the base64 alphabet that a lax
// decoder maps into it) is accepted.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.h"
#include "tvault/signing.h"

namespace {

// Line `n` (0-based) of `text`, without its LF.
std::string LineOf(const std::string& text, int n) {
  size_t start = 0;
  for (int i = 0; i < n && start != std::string::npos; ++i) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos) return "";
  return text.substr(start, text.find('\n', start) - start);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tvault;
  fuzz::InitOrDie();
  static const SignerSecretKey* key = new SignerSecretKey(fuzz::FuzzSignerKey());
  const std::string_view text = fuzz::AsText(data, size);
  auto comment = VerifyMinisign(key->public_key(), fuzz::kSignedMessage, text);
  if (!comment.ok()) return 0;
  auto canonical = key->Sign(fuzz::kSignedMessage, *comment);
  if (!canonical.ok()) __builtin_trap();
  const std::string input(text);
  if (input.find(LineOf(*canonical, 1)) == std::string::npos ||
      input.find(LineOf(*canonical, 3)) == std::string::npos) {
    __builtin_trap();  // Accepted a signature spelt differently from the one the key makes.
  }
  return 0;
}
