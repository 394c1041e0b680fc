#include "tvault/keys.h"

#include <sodium.h>

#include <algorithm>
#include <iterator>
#include <sstream>

#include "crypto/bech32.h"
#include "crypto/envelope.h"
#include "util/file.h"

namespace tvault {
namespace {

constexpr char kAgeRecipientHrp[] = "age";
constexpr size_t kMaxPublicKeyFileBytes = 4096;

std::string Hex(const uint8_t* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

}  // namespace

KdfParams KdfParams::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
KdfParams KdfParams::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
KdfParams KdfParams::Sensitive() {
  return {crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_SENSITIVE};
}

Result<KdfParams> KdfParams::FromName(std::string_view name) {
  if (name == "interactive") return Interactive();
  if (name == "moderate") return Moderate();
  if (name == "sensitive") return Sensitive();
  return InvalidArgument("unknown KDF profile \"" + std::string(name) +
                         "\" (expected interactive, moderate or sensitive)");
}

std::string OrgPublicKey::ToAgeRecipient() const {
  return internal::Bech32Encode(kAgeRecipientHrp,
                                std::vector<uint8_t>(bytes_.begin(), bytes_.end()));
}

Result<OrgPublicKey> OrgPublicKey::FromAgeRecipient(std::string_view text) {
  auto data = internal::Bech32Decode(kAgeRecipientHrp, text);
  if (!data.ok()) return InvalidArgument("not an age recipient: " + data.status().message());
  if (data->size() != kOrgKeySize) return InvalidArgument("not an age X25519 recipient (length)");
  std::array<uint8_t, kOrgKeySize> key;
  std::copy(data->begin(), data->end(), key.begin());
  OrgPublicKey org(key);
  if (org.IsLowOrder()) {
    return InvalidArgument("not a usable age X25519 recipient: a low-order key (such as all "
                           "zeros), to which nothing can be encrypted");
  }
  return org;
}

bool OrgPublicKey::IsLowOrder() const {
  // X25519 with any scalar gives the all-zero point for a key of small order; libsodium's
  // crypto_scalarmult refuses exactly those (and checks the result too).
  unsigned char scalar[crypto_scalarmult_SCALARBYTES];
  unsigned char out[crypto_scalarmult_BYTES];
  std::fill(std::begin(scalar), std::end(scalar), 0x42);
  const bool low = crypto_scalarmult(out, scalar, bytes_.data()) != 0;
  sodium_memzero(out, sizeof out);
  return low;
}

std::string OrgPublicKey::Fingerprint() const {
  uint8_t h[32];
  crypto_generichash(h, sizeof h, bytes_.data(), bytes_.size(), nullptr, 0);
  return Hex(h, 8);
}

Status WriteNewOrgKeyPair(const std::string& out, const SecretBytes& passphrase,
                          const KdfParams& kdf) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  const std::string pub_path = out + ".pub";
  const std::string key_path = out + ".key";
  TVAULT_RETURN_IF_ERROR(internal::RefuseToOverwrite({pub_path, key_path}));
  SecretBytes secret(kOrgKeySize);
  if (!secret.valid()) return Internal("cannot allocate secure memory");
  std::array<uint8_t, kOrgKeySize> pub;
  crypto_box_keypair(pub.data(), secret.data());
  OrgPublicKey org(pub);

  TVAULT_ASSIGN_OR_RETURN(std::string wrapped,
                          internal::SealEnvelope(internal::kOrgKeyMagic, secret, passphrase, kdf));
  std::ostringstream text;
  text << "# tvault organisation public key (age v1 X25519 recipient)\n"
       << "# fingerprint: " << org.Fingerprint() << "\n"
       << org.ToAgeRecipient() << "\n";
  // The secret file first: a crash then leaves no public key whose secret was never saved.
  TVAULT_RETURN_IF_ERROR(internal::WriteFileAtomic(key_path, wrapped, 0600, true));
  return internal::WriteFileAtomic(pub_path, text.str(), 0644, true);
}

Result<OrgPublicKey> ParseOrgPublicKey(std::string_view text, const std::string& what) {
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    auto key = OrgPublicKey::FromAgeRecipient(line);
    if (!key.ok()) return key.status().WithContext(what);
    return key;
  }
  return InvalidArgument(what + ": no age recipient line found");
}

Result<OrgPublicKey> ReadOrgPublicKey(const std::string& path) {
  TVAULT_ASSIGN_OR_RETURN(std::string text, internal::ReadFile(path, kMaxPublicKeyFileBytes));
  return ParseOrgPublicKey(text, path);
}

Result<OrgSecretKey> ReadOrgSecretKey(const std::string& path, const SecretBytes& passphrase) {
  auto read = internal::ReadFile(path, internal::kEnvelopeSize + 1);
  if (!read.ok() && read.status().code() == Code::kInvalidArgument) {
    return Damaged(path + " is damaged or has been altered (wrong size)");
  }
  TVAULT_ASSIGN_OR_RETURN(std::string bytes, std::move(read));
  TVAULT_ASSIGN_OR_RETURN(SecretBytes secret,
                          internal::OpenEnvelope(internal::kOrgKeyMagic, bytes, passphrase, path));
  std::array<uint8_t, kOrgKeySize> pub;
  crypto_scalarmult_base(pub.data(), secret.data());
  return OrgSecretKey(std::move(secret), OrgPublicKey(pub));
}

}  // namespace tvault
