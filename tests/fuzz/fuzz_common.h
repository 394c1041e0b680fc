// Fixed keys shared by the fuzz targets and by make_seeds, which writes the seed corpora: a
// seed only reaches the code behind a signature or MAC check when it was made with the very key
// the target verifies with. The keys are derived from constant bytes; they protect nothing.
#ifndef TVAULT_TESTS_FUZZ_FUZZ_COMMON_H_
#define TVAULT_TESTS_FUZZ_FUZZ_COMMON_H_

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "crypto/signing_internal.h"
#include "tvault/keys.h"
#include "tvault/secret.h"
#include "tvault/signing.h"

namespace tvault::fuzz {

// The passphrase every seed key file is wrapped under.
constexpr char kPassphrase[] = "fuzz passphrase";
// The origin (and key name) of the checkpoints in the seeds.
constexpr char kCheckpointOrigin[] = "tvault/store/fuzz";
// The message the minisign seeds sign.
constexpr char kSignedMessage[] = "tvault fuzz message\n";

inline void InitOrDie() {
  if (!InitCrypto().ok()) std::abort();
}

inline SecretBytes FilledSecret(uint8_t byte, size_t size) {
  SecretBytes s(size);
  for (size_t i = 0; i < size; ++i) s.data()[i] = byte;
  return s;
}

inline SecretBytes FuzzPassphrase() {
  return SecretBytes::CopyOf(kPassphrase, sizeof(kPassphrase) - 1);
}

// The organisation key pair the age seeds are encrypted to.
inline OrgSecretKey FuzzOrgKey() {
  SecretBytes secret = FilledSecret(0x42, kOrgKeySize);
  std::array<uint8_t, kOrgKeySize> pub;
  crypto_scalarmult_base(pub.data(), secret.data());
  return OrgSecretKey(std::move(secret), OrgPublicKey(pub));
}

// The seed of the store checkpoint key the checkpoint seeds are signed with.
inline SecretBytes FuzzCheckpointSeed() { return FilledSecret(0x33, 32); }

// The signer key the minisign seeds are made with. Aborts if it cannot be built.
inline SignerSecretKey FuzzSignerKey() {
  auto key = internal::SignerFromSeed(FilledSecret(0x24, kSignerSeedSize));
  if (!key.ok()) std::abort();
  return std::move(key).value();
}

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace tvault::fuzz

#endif  // TVAULT_TESTS_FUZZ_FUZZ_COMMON_H_
