// The age v1 header: HKDF, base64 rules, stanzas, the X25519 recipient and the header MAC.
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "crypto/age.h"
#include "crypto/bech32.h"
#include "util/base64.h"

namespace tvault::internal {
namespace {

constexpr char kVersionLine[] = "age-encryption.org/v1";
constexpr char kArmorBegin[] = "-----BEGIN AGE ENCRYPTED FILE-----";
constexpr char kX25519Label[] = "age-encryption.org/v1/X25519";
constexpr char kIdentityHrp[] = "age-secret-key-";
constexpr size_t kColumns = 64;  // base64 columns per stanza body line
constexpr size_t kMacSize = crypto_auth_hmacsha256_BYTES;
constexpr size_t kMaxLine = 4096;

// The age file key wrapped to one X25519 recipient: 16 bytes of key and a 16-byte tag.
constexpr size_t kWrappedKeySize = kAgeFileKeySize + crypto_aead_chacha20poly1305_ietf_ABYTES;

Status NotAnAgeFile() { return Damaged("not an age file"); }
Status NotForThisKey() {
  return InvalidArgument("not encrypted to this organisation key");
}

// The key that wraps the file key for one X25519 stanza:
// HKDF-SHA-256(ikm = X25519 shared secret, salt = ephemeral share || recipient,
// info = "age-encryption.org/v1/X25519").
SecretBytes X25519WrapKey(const SecretBytes& shared, const uint8_t* share,
                          const uint8_t* recipient) {
  std::string salt(reinterpret_cast<const char*>(share), crypto_scalarmult_BYTES);
  salt.append(reinterpret_cast<const char*>(recipient), crypto_scalarmult_BYTES);
  return HkdfSha256(shared.data(), shared.size(), salt, kX25519Label,
                    crypto_aead_chacha20poly1305_ietf_KEYBYTES);
}

// HMAC-SHA-256 under HKDF(file key, "", "header") of the header up to and including "---".
bool HeaderMac(const SecretBytes& file_key, std::string_view header_through_dashes,
               uint8_t mac[kMacSize]) {
  SecretBytes mac_key = HkdfSha256(file_key.data(), file_key.size(), "", "header",
                                   crypto_auth_hmacsha256_KEYBYTES);
  if (!mac_key.valid()) return false;
  crypto_auth_hmacsha256(mac, reinterpret_cast<const uint8_t*>(header_through_dashes.data()),
                         header_through_dashes.size(), mac_key.data());
  return true;
}

// Reads one line (without its "\n") into `line` and appends its raw bytes, newline included,
// to `header`. kDamaged when the stream ends before a newline, the line is longer than
// `max_len`, or the header grows past kAgeMaxHeaderBytes.
Status ReadHeaderLine(std::istream* in, size_t max_len, std::string* line, std::string* header) {
  line->clear();
  for (;;) {
    int c = in->get();
    if (c == std::char_traits<char>::eof()) {
      if (in->bad()) return IoError("read error in age header");
      return Damaged("truncated age header");
    }
    if (header->size() >= kAgeMaxHeaderBytes) {
      return Damaged("age header larger than " + std::to_string(kAgeMaxHeaderBytes) + " bytes");
    }
    header->push_back(static_cast<char>(c));
    if (c == '\n') return Status::Ok();
    if (line->size() >= max_len) return Damaged("malformed age header (line too long)");
    line->push_back(static_cast<char>(c));
  }
}

// Splits "a b c" into its space-separated arguments; false when one is empty or holds a byte
// outside printable ASCII (33..126), as the spec requires.
bool SplitArgs(std::string_view text, std::vector<std::string>* args) {
  args->clear();
  size_t start = 0;
  for (;;) {
    size_t sp = text.find(' ', start);
    std::string_view arg = text.substr(start, sp == std::string_view::npos ? sp : sp - start);
    if (arg.empty()) return false;
    for (char c : arg) {
      if (c < 33 || c > 126) return false;
    }
    args->emplace_back(arg);
    if (sp == std::string_view::npos) return true;
    start = sp + 1;
  }
}

struct Stanza {
  std::vector<std::string> args;  // args[0] is the stanza type
  std::vector<uint8_t> body;
};

// Reads a stanza body: lines of exactly 64 columns, ended by the first shorter line.
Status ReadStanzaBody(std::istream* in, std::string* header, std::vector<uint8_t>* body) {
  std::string line;
  std::vector<uint8_t> part;
  for (;;) {
    TVAULT_RETURN_IF_ERROR(ReadHeaderLine(in, kColumns, &line, header));
    if (!AgeBase64Decode(line, &part)) {
      return Damaged("malformed age header (stanza body is not canonical base64)");
    }
    body->insert(body->end(), part.begin(), part.end());
    if (line.size() < kColumns) return Status::Ok();
  }
}

// Unwraps the file key from one X25519 stanza. Returns an invalid SecretBytes (and OK) when
// the stanza is well formed but not for `identity`.
Status UnwrapX25519(const OrgSecretKey& identity, const Stanza& s, SecretBytes* file_key) {
  std::vector<uint8_t> share;
  if (s.args.size() != 2 || !AgeBase64Decode(s.args[1], &share) ||
      share.size() != crypto_scalarmult_BYTES || s.body.size() != kWrappedKeySize) {
    return Damaged("malformed X25519 stanza in age header");
  }
  SecretBytes shared(crypto_scalarmult_BYTES);
  if (!shared.valid()) return Internal("cannot allocate secure memory");
  if (crypto_scalarmult(shared.data(), identity.secret().data(), share.data()) != 0 ||
      sodium_is_zero(shared.data(), shared.size())) {
    return Damaged("X25519 stanza with a low-order ephemeral share (all-zero shared secret)");
  }
  SecretBytes wrap_key = X25519WrapKey(shared, share.data(), identity.public_key().bytes().data());
  SecretBytes key(kAgeFileKeySize);
  if (!wrap_key.valid() || !key.valid()) return Internal("cannot allocate secure memory");
  uint8_t nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {0};
  unsigned long long key_len = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(key.data(), &key_len, nullptr, s.body.data(),
                                                s.body.size(), nullptr, 0, nonce,
                                                wrap_key.data()) == 0) {
    *file_key = std::move(key);
  }
  return Status::Ok();
}

}  // namespace

SecretBytes HkdfSha256(const uint8_t* ikm, size_t ikm_len, std::string_view salt,
                       std::string_view info, size_t out_len) {
  constexpr size_t kHash = crypto_auth_hmacsha256_BYTES;
  SecretBytes out(out_len);
  SecretBytes prk(kHash);
  SecretBytes block(kHash);
  if (!out.valid() || !prk.valid() || !block.valid() || out_len > 255 * kHash) {
    return SecretBytes();
  }
  // Extract. HMAC pads its key with zeros, so an empty salt and HashLen zero bytes agree.
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const uint8_t*>(salt.data()), salt.size());
  crypto_auth_hmacsha256_update(&st, ikm, ikm_len);
  crypto_auth_hmacsha256_final(&st, prk.data());
  // Expand: T(i) = HMAC(PRK, T(i-1) || info || i).
  size_t done = 0;
  for (uint8_t i = 1; done < out_len; ++i) {
    crypto_auth_hmacsha256_init(&st, prk.data(), prk.size());
    if (i > 1) crypto_auth_hmacsha256_update(&st, block.data(), block.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const uint8_t*>(info.data()),
                                  info.size());
    crypto_auth_hmacsha256_update(&st, &i, 1);
    crypto_auth_hmacsha256_final(&st, block.data());
    size_t n = std::min(kHash, out_len - done);
    std::memcpy(out.data() + done, block.data(), n);
    done += n;
  }
  sodium_memzero(&st, sizeof st);
  return out;
}

std::string AgeBase64Encode(const uint8_t* data, size_t size) {
  constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(size, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, kVariant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool AgeBase64Decode(std::string_view text, std::vector<uint8_t>* out) {
  // libsodium's decoder reads some bytes outside the alphabet (0xAF) as '/'; age's base64 has
  // no padding, so '=' is refused too.
  if (!IsBase64Alphabet(text) || text.find('=') != std::string_view::npos) {
    return false;
  }
  out->assign(text.size() * 3 / 4 + 1, 0);
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out->data(), out->size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return false;
  }
  out->resize(len);
  // Canonical means the encoding of the bytes is exactly `text` (no non-zero unused bits).
  return AgeBase64Encode(out->data(), out->size()) == text;
}

std::string EncodeAgeStanza(const std::vector<std::string>& args,
                            const std::vector<uint8_t>& body) {
  std::string out = "->";
  for (const std::string& a : args) out += " " + a;
  out += "\n";
  std::string b64 = AgeBase64Encode(body.data(), body.size());
  size_t pos = 0;
  // Full lines; then the last, shorter (possibly empty) line.
  for (; b64.size() - pos >= kColumns; pos += kColumns) out += b64.substr(pos, kColumns) + "\n";
  out += b64.substr(pos) + "\n";
  return out;
}

Status BuildAgeHeader(const OrgPublicKey& recipient, const SecretBytes& file_key,
                      std::string* header) {
  SecretBytes eph(crypto_scalarmult_SCALARBYTES);
  SecretBytes shared(crypto_scalarmult_BYTES);
  if (!eph.valid() || !shared.valid()) return Internal("cannot allocate secure memory");
  randombytes_buf(eph.data(), eph.size());
  uint8_t share[crypto_scalarmult_BYTES];
  crypto_scalarmult_base(share, eph.data());
  if (crypto_scalarmult(shared.data(), eph.data(), recipient.bytes().data()) != 0 ||
      sodium_is_zero(shared.data(), shared.size())) {
    return InvalidArgument("the age recipient is a low-order point (all-zero shared secret)");
  }
  SecretBytes wrap_key = X25519WrapKey(shared, share, recipient.bytes().data());
  if (!wrap_key.valid()) return Internal("cannot allocate secure memory");
  std::vector<uint8_t> wrapped(kWrappedKeySize);
  uint8_t nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {0};
  crypto_aead_chacha20poly1305_ietf_encrypt(wrapped.data(), nullptr, file_key.data(),
                                            file_key.size(), nullptr, 0, nullptr, nonce,
                                            wrap_key.data());
  std::string h = std::string(kVersionLine) + "\n" +
                  EncodeAgeStanza({"X25519", AgeBase64Encode(share, sizeof share)}, wrapped) +
                  "---";
  uint8_t mac[kMacSize];
  if (!HeaderMac(file_key, h, mac)) return Internal("cannot allocate secure memory");
  *header = h + " " + AgeBase64Encode(mac, sizeof mac) + "\n";
  return Status::Ok();
}

Result<SecretBytes> ReadAgeHeader(const OrgSecretKey& identity, std::istream* in) {
  std::string header;
  std::string line;
  // The version line: anything else is not a v1 age file (or is armored).
  Status st = ReadHeaderLine(in, sizeof kArmorBegin, &line, &header);
  if (st.code() == Code::kIoError) return st;
  if (!st.ok() || line != kVersionLine) {
    if (st.ok() && line == kArmorBegin) {
      return Status(Code::kUnsupported,
                    "ASCII-armored age file: remove the armor first (age -d reads it)");
    }
    if (st.ok() && line.rfind("age-encryption.org/", 0) == 0) {
      // A version is printable ASCII. A control character (a CR of a CR LF line end, as in
      // the C2SP age test kit's header_crlf) makes a malformed header, not another version.
      for (unsigned char c : line) {
        if (c < 0x21 || c > 0x7e) {
          return Damaged("malformed age header (control character or space in the version "
                         "line)");
        }
      }
      return Status(Code::kUnsupported, "unsupported age version \"" + line + "\"");
    }
    return NotAnAgeFile();
  }

  std::vector<Stanza> stanzas;
  std::vector<uint8_t> mac;
  for (;;) {
    TVAULT_RETURN_IF_ERROR(ReadHeaderLine(in, kMaxLine, &line, &header));
    if (line.rfind("---", 0) == 0) {
      std::vector<std::string> parts;
      if (!SplitArgs(line, &parts) || parts.size() != 2 || parts[0] != "---" ||
          !AgeBase64Decode(parts[1], &mac) || mac.size() != kMacSize) {
        return Damaged("malformed age header (MAC line)");
      }
      break;
    }
    if (line.rfind("-> ", 0) != 0) return Damaged("malformed age header (expected a stanza)");
    Stanza s;
    if (!SplitArgs(std::string_view(line).substr(3), &s.args)) {
      return Damaged("malformed age header (stanza arguments)");
    }
    TVAULT_RETURN_IF_ERROR(ReadStanzaBody(in, &header, &s.body));
    stanzas.push_back(std::move(s));
  }
  if (stanzas.empty()) return Damaged("malformed age header (no recipient stanza)");
  for (const Stanza& s : stanzas) {
    if (s.args[0] == "scrypt" && stanzas.size() != 1) {
      return Damaged("malformed age header (an scrypt stanza must be the only one)");
    }
  }

  SecretBytes file_key;
  for (const Stanza& s : stanzas) {
    if (s.args[0] != "X25519") continue;
    TVAULT_RETURN_IF_ERROR(UnwrapX25519(identity, s, &file_key));
    if (file_key.valid()) break;
  }
  if (!file_key.valid()) return NotForThisKey();

  // The MAC covers the header through "---" (the MAC line is "--- <mac>\n").
  const size_t mac_line_len = line.size() + 1;
  std::string_view covered(header.data(), header.size() - mac_line_len + 3);
  uint8_t expected[kMacSize];
  if (!HeaderMac(file_key, covered, expected)) return Internal("cannot allocate secure memory");
  if (crypto_verify_32(expected, mac.data()) != 0) {
    return Damaged("header MAC mismatch (altered)");
  }
  return file_key;
}

SecretBytes AgeIdentityString(const OrgSecretKey& key) {
  SecretBytes text(Bech32EncodedSize(kIdentityHrp, key.secret().size()));
  if (!text.valid()) return text;
  char* out = reinterpret_cast<char*>(text.data());
  Bech32EncodeInto(kIdentityHrp, key.secret().data(), key.secret().size(), out);
  for (size_t i = 0; i < text.size(); ++i) {
    out[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[i])));
  }
  return text;
}

}  // namespace tvault::internal
