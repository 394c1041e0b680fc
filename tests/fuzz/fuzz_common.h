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
#include <map>
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

// A property every input must keep: when it does not, the fuzzer records a crash.
inline void Require(bool ok) {
  if (!ok) std::abort();
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

// Several named files in one fuzz input (a report folder): each file is the line
// kFileMarker NAME "\n" followed by its bytes, up to the next marker or the end. The marker
// starts with the byte 0x01, which no file of a report holds, so a mutation inside a file's
// bytes leaves the split alone. Bytes before the first marker are ignored; of two files with
// one name, the last is kept.
constexpr std::string_view kFileMarker("\x01%%file ", 8);

inline std::string PackFolder(const std::map<std::string, std::string>& files) {
  std::string out;
  for (const auto& [name, bytes] : files) {
    out.append(kFileMarker);
    out += name + "\n" + bytes;
  }
  return out;
}

inline std::map<std::string, std::string> UnpackFolder(std::string_view in) {
  std::map<std::string, std::string> files;
  size_t at = in.find(kFileMarker);
  while (at != std::string_view::npos) {
    const size_t name_start = at + kFileMarker.size();
    const size_t name_end = in.find('\n', name_start);
    if (name_end == std::string_view::npos) break;
    const size_t next = in.find(kFileMarker, name_end + 1);
    const size_t end = next == std::string_view::npos ? in.size() : next;
    files[std::string(in.substr(name_start, name_end - name_start))] =
        std::string(in.substr(name_end + 1, end - name_end - 1));
    at = next;
  }
  return files;
}

}  // namespace tvault::fuzz

#endif  // TVAULT_TESTS_FUZZ_FUZZ_COMMON_H_
