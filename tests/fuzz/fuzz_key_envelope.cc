// Fuzz target: the passphrase-envelope key files store.key, org.key and signer.key, read with
// the fixed passphrase as each of the three kinds. Contract: a Status for any bytes; only an
// unaltered file of the right kind opens.
//
// Argon2id is skipped for files asking for more than the cheapest KDF cost: OpenEnvelope bounds
// the cost (kMaxKdfMemlimit, kMaxKdfOpslimit) but even the bounded cost takes seconds a run.
#include <sodium.h>

#include <cstddef>
#include <cstdint>

#include "crypto/envelope.h"
#include "crypto/signing_internal.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tvault;
  fuzz::InitOrDie();
  static const SecretBytes* pass = new SecretBytes(fuzz::FuzzPassphrase());
  const std::string_view bytes = fuzz::AsText(data, size);
  auto kdf = internal::EnvelopeKdf(bytes);
  if (kdf.ok() && (kdf->opslimit > crypto_pwhash_OPSLIMIT_MIN ||
                   kdf->memlimit > crypto_pwhash_MEMLIMIT_MIN)) {
    return 0;
  }
  for (const char* magic :
       {internal::kStoreKeyMagic, internal::kOrgKeyMagic, internal::kSignerKeyMagic}) {
    auto opened = internal::OpenEnvelope(magic, bytes, *pass, "fuzz.key");
    if (opened.ok() && opened->size() != internal::kEnvelopePayloadSize) __builtin_trap();
  }
  return 0;
}
