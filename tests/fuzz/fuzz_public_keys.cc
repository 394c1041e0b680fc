// Fuzz target: public key files that come from elsewhere: org.pub (age recipient lines with
// comments) and a signer's minisign .pub. Contract: a Status for any bytes, and what parses
// prints back to text that parses to the same key.
#include <cstddef>
#include <cstdint>

#include "fuzz_common.h"
#include "tvault/keys.h"
#include "tvault/signing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tvault;
  const std::string_view text = fuzz::AsText(data, size);
  auto org = ParseOrgPublicKey(text, "org.pub");
  if (org.ok()) {
    auto again = OrgPublicKey::FromAgeRecipient(org->ToAgeRecipient());
    if (!again.ok() || again->bytes() != org->bytes()) __builtin_trap();
  }
  auto signer = SignerPublicKey::FromMinisignText(text);
  if (signer.ok()) {
    auto again = SignerPublicKey::FromMinisignText(signer->ToMinisignText("again"));
    if (!again.ok() || *again != *signer) __builtin_trap();
  }
  return 0;
}
