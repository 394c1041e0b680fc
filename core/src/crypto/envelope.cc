#include "crypto/envelope.h"

#include <sodium.h>

#include <cstring>

namespace tvault::internal {
namespace {

void PutU64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

uint64_t GetU64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

constexpr size_t kOffVersion = 8;
constexpr size_t kOffKdf = 9;
constexpr size_t kOffOps = 12;
constexpr size_t kOffMem = 20;
constexpr size_t kOffSalt = 28;
constexpr size_t kOffNonce = kOffSalt + kEnvelopeSaltSize;  // 44

Status CheckKdf(const KdfParams& kdf) {
  if (kdf.opslimit < crypto_pwhash_OPSLIMIT_MIN || kdf.opslimit > kMaxKdfOpslimit ||
      kdf.memlimit < crypto_pwhash_MEMLIMIT_MIN || kdf.memlimit > kMaxKdfMemlimit) {
    return Damaged("KDF parameters out of range");
  }
  return Status::Ok();
}

Result<SecretBytes> DeriveKek(const SecretBytes& passphrase, const uint8_t* salt,
                              const KdfParams& kdf) {
  SecretBytes kek(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  if (!kek.valid()) return Internal("cannot allocate secure memory");
  if (crypto_pwhash(kek.data(), kek.size(), reinterpret_cast<const char*>(passphrase.data()),
                    passphrase.size(), salt, kdf.opslimit, static_cast<size_t>(kdf.memlimit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status(Code::kIoError, "not enough memory for the passphrase KDF (" +
                                      std::to_string(kdf.memlimit >> 20) + " MiB)");
  }
  return kek;
}

}  // namespace

Result<std::string> SealEnvelope(std::string_view magic, const SecretBytes& payload,
                                 const SecretBytes& passphrase, const KdfParams& kdf) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  if (magic.size() != kEnvelopeMagicSize || payload.size() != kEnvelopePayloadSize) {
    return Internal("envelope: bad magic or payload size");
  }
  if (passphrase.size() == 0) return InvalidArgument("the passphrase is empty");
  Status kdf_ok = CheckKdf(kdf);
  if (!kdf_ok.ok()) return InvalidArgument("KDF parameters out of range");

  std::string out(kEnvelopeSize, '\0');
  uint8_t* p = reinterpret_cast<uint8_t*>(out.data());
  std::memcpy(p, magic.data(), kEnvelopeMagicSize);
  p[kOffVersion] = kEnvelopeVersion;
  p[kOffKdf] = kEnvelopeKdfArgon2id13;
  PutU64(p + kOffOps, kdf.opslimit);
  PutU64(p + kOffMem, kdf.memlimit);
  randombytes_buf(p + kOffSalt, kEnvelopeSaltSize);
  randombytes_buf(p + kOffNonce, kEnvelopeNonceSize);

  TVAULT_ASSIGN_OR_RETURN(SecretBytes kek, DeriveKek(passphrase, p + kOffSalt, kdf));
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(p + kEnvelopeHeaderSize, &clen, payload.data(),
                                             payload.size(), p, kEnvelopeHeaderSize, nullptr,
                                             p + kOffNonce, kek.data());
  if (clen != kEnvelopePayloadSize + kEnvelopeTagSize) return Internal("envelope: bad length");
  return out;
}

Result<KdfParams> EnvelopeKdf(std::string_view bytes) {
  if (bytes.size() != kEnvelopeSize) return Damaged("wrong size");
  const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data());
  KdfParams kdf;
  kdf.opslimit = GetU64(p + kOffOps);
  kdf.memlimit = GetU64(p + kOffMem);
  return kdf;
}

Result<SecretBytes> OpenEnvelope(std::string_view magic, std::string_view bytes,
                                 const SecretBytes& passphrase, const std::string& what) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  const std::string damaged = what + " is damaged or has been altered";
  if (bytes.size() < kEnvelopeHeaderSize ||
      std::memcmp(bytes.data(), magic.data(), kEnvelopeMagicSize) != 0) {
    return Damaged(what + " is not a tvault key file of the expected kind, or is damaged");
  }
  const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data());
  if (p[kOffVersion] > kEnvelopeVersion) {
    return Status(Code::kUnsupported, what + ": key file format version " +
                                          std::to_string(p[kOffVersion]) +
                                          " is newer than this tvault supports (1)");
  }
  if (p[kOffVersion] != kEnvelopeVersion || p[kOffKdf] != kEnvelopeKdfArgon2id13 ||
      p[10] != 0 || p[11] != 0 || bytes.size() != kEnvelopeSize) {
    return Damaged(damaged);
  }
  TVAULT_ASSIGN_OR_RETURN(KdfParams kdf, EnvelopeKdf(bytes));
  if (!CheckKdf(kdf).ok()) return Damaged(damaged + " (KDF parameters out of range)");

  TVAULT_ASSIGN_OR_RETURN(SecretBytes kek, DeriveKek(passphrase, p + kOffSalt, kdf));
  SecretBytes payload(kEnvelopePayloadSize);
  if (!payload.valid()) return Internal("cannot allocate secure memory");
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          payload.data(), &mlen, nullptr, p + kEnvelopeHeaderSize,
          kEnvelopePayloadSize + kEnvelopeTagSize, p, kEnvelopeHeaderSize, p + kOffNonce,
          kek.data()) != 0) {
    // Authentication cannot tell a wrong passphrase from an altered ciphertext or salt; the
    // header bytes that would change the meaning were checked above. The message says both.
    return Status(Code::kWrongPassphrase,
                  "wrong passphrase for " + what + " (or the key file was altered)");
  }
  return payload;
}

}  // namespace tvault::internal
