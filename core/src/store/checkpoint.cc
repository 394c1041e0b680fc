#include "store/checkpoint.h"

#include <sodium.h>

#include <cstring>

#include "store/merkle.h"
#include "util/base64.h"

namespace tvault {
namespace internal {
namespace {

// U+2014 EM DASH, which starts every signature line of a signed note.
constexpr char kEmDash[] = "\xe2\x80\x94";

std::string B64(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool UnB64(std::string_view text, std::string* out) {
  if (!IsBase64Alphabet(text)) return false;
  out->assign(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out->data()), out->size(), text.data(),
                        text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return false;
  }
  out->resize(len);
  return true;
}

// The signed-note key hash: the first 4 bytes of SHA-256(name || "\n" || type || key).
std::string KeyHash(const std::string& name, const std::string& typed_key) {
  std::string in = name + "\n" + typed_key;
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(in.data()), in.size());
  return std::string(reinterpret_cast<char*>(h), 4);
}

std::string ToHex(const std::string& bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();
  return out;
}

struct Keypair {
  std::string pk;
  SecretBytes sk;
};

Keypair FromSeed(const SecretBytes& seed) {
  Keypair kp{std::string(crypto_sign_PUBLICKEYBYTES, '\0'), SecretBytes(crypto_sign_SECRETKEYBYTES)};
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(kp.pk.data()), kp.sk.data(),
                           seed.data());
  return kp;
}

bool ParseU64(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t next = v * 10 + static_cast<uint64_t>(c - '0');
    if (next / 10 != v) return false;
    v = next;
  }
  *out = v;
  return true;
}

// C2SP signed-note: a key name is non-empty valid UTF-8 with no Unicode space and no "+".
// The note's characters are checked as a whole (CheckNoteCharacters), so here only ASCII
// spaces and the Unicode spaces that are valid UTF-8 need a look.
bool IsValidNoteKeyName(std::string_view name) {
  if (name.empty() || name.find_first_of(" +\t\n\v\f\r") != std::string_view::npos) return false;
  // U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
  for (const char* sp : {"\xc2\x85", "\xc2\xa0", "\xe1\x9a\x80", "\xe2\x80\xa8", "\xe2\x80\xa9",
                         "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80"}) {
    if (name.find(sp) != std::string_view::npos) return false;
  }
  for (size_t i = 0; i + 2 < name.size(); ++i) {
    if (name[i] == '\xe2' && name[i + 1] == '\x80' &&
        static_cast<unsigned char>(name[i + 2]) <= 0x8a &&
        static_cast<unsigned char>(name[i + 2]) >= 0x80) {
      return false;
    }
  }
  return true;
}

// Valid UTF-8 (no overlong forms, surrogates or code points above U+10FFFF) and no control
// character but LF: C0 controls, DEL and the C1 controls U+0080..U+009F.
Status CheckNoteCharacters(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n') || c == 0x7f) {
        return Damaged("checkpoint note: control character at byte " + std::to_string(i));
      }
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2, cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3, cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4, cp = c & 0x07;
    } else {
      return Damaged("checkpoint note: invalid UTF-8 at byte " + std::to_string(i));
    }
    if (i + len > s.size()) return Damaged("checkpoint note: invalid UTF-8 at byte " + std::to_string(i));
    for (size_t k = 1; k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) {
        return Damaged("checkpoint note: invalid UTF-8 at byte " + std::to_string(i));
      }
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return Damaged("checkpoint note: invalid UTF-8 at byte " + std::to_string(i));
    }
    if (cp >= 0x80 && cp <= 0x9f) {
      return Damaged("checkpoint note: control character at byte " + std::to_string(i));
    }
    i += len;
  }
  return Status::Ok();
}

}  // namespace

std::string CheckpointBody(const Checkpoint& cp) {
  return cp.origin + "\n" + std::to_string(cp.size) + "\n" + B64(cp.root) + "\n";
}

std::string SignCheckpoint(const Checkpoint& cp, const SecretBytes& seed) {
  Keypair kp = FromSeed(seed);
  const std::string body = CheckpointBody(cp);
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(body.data()), body.size(),
                       kp.sk.data());
  std::string typed = std::string(1, static_cast<char>(kNoteSigTypeEd25519)) + kp.pk;
  return body + "\n" + kEmDash + " " + cp.origin + " " + B64(KeyHash(cp.origin, typed) + sig) +
         "\n";
}

std::string VerifierKeyFor(const std::string& name, const SecretBytes& seed) {
  Keypair kp = FromSeed(seed);
  std::string typed = std::string(1, static_cast<char>(kNoteSigTypeEd25519)) + kp.pk;
  return name + "+" + ToHex(KeyHash(name, typed)) + "+" + B64(typed);
}

std::string CheckpointKeyId(const std::string& name, const SecretBytes& seed) {
  // The middle field of the verifier key.
  const std::string key = VerifierKeyFor(name, seed);
  const size_t start = name.size() + 1;
  return key.substr(start, key.find('+', start) - start);
}

}  // namespace internal

Result<Checkpoint> VerifyCheckpointNote(std::string_view note, std::string_view verifier_key) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  // The verifier key: name+hash+base64(type||key).
  size_t p1 = verifier_key.find('+');
  size_t p2 = p1 == std::string_view::npos ? p1 : verifier_key.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return InvalidArgument("malformed verifier key");
  std::string name(verifier_key.substr(0, p1));
  std::string typed;
  if (!internal::IsValidNoteKeyName(name)) {
    return InvalidArgument("malformed verifier key (the key name is empty or has a space)");
  }
  if (!internal::UnB64(verifier_key.substr(p2 + 1), &typed) ||
      typed.size() != 1 + crypto_sign_PUBLICKEYBYTES ||
      static_cast<uint8_t>(typed[0]) != internal::kNoteSigTypeEd25519 ||
      internal::ToHex(internal::KeyHash(name, typed)) != verifier_key.substr(p1 + 1, p2 - p1 - 1)) {
    return InvalidArgument("malformed verifier key (not an Ed25519 signed-note key)");
  }
  const std::string key_hash = internal::KeyHash(name, typed);

  // C2SP signed-note: valid UTF-8 without control characters but LF; the text ends at the
  // last blank line, and the signature block after it is one or more signature lines.
  TVAULT_RETURN_IF_ERROR(internal::CheckNoteCharacters(note));
  size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) return Damaged("checkpoint note has no signature block");
  std::string body(note.substr(0, split + 1));
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty()) return Damaged("checkpoint note has no signature block");
  if (sigs.back() != '\n') return Damaged("checkpoint note: signature line not terminated");
  // The text (C2SP tlog-checkpoint): origin, size, root, then optional extension lines, none
  // of them empty. Checked first: a blank line here is most likely one inside the signatures.
  std::vector<std::string> lines;
  for (size_t start = 0; start < body.size();) {
    const size_t nl = body.find('\n', start);
    lines.push_back(body.substr(start, nl - start));
    if (lines.back().empty()) {
      return Damaged("checkpoint note: a blank line inside the signature block, or in the "
                     "checkpoint text");
    }
    start = nl + 1;
  }
  bool verified = false;
  size_t count = 0;
  const std::string dash_space = std::string(internal::kEmDash) + " ";
  while (!sigs.empty()) {
    const size_t nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    if (++count > internal::kMaxNoteSignatures) {
      return Damaged("checkpoint note has more than " +
                     std::to_string(internal::kMaxNoteSignatures) + " signatures");
    }
    if (line.substr(0, dash_space.size()) != dash_space) {
      return Damaged("checkpoint note: line " + std::to_string(count) +
                     " of the signature block is not a signature line");
    }
    line.remove_prefix(dash_space.size());
    const size_t sp = line.find(' ');
    std::string raw;
    if (sp == std::string_view::npos || !internal::IsValidNoteKeyName(line.substr(0, sp)) ||
        !internal::UnB64(line.substr(sp + 1), &raw) || raw.size() < 5) {
      return Damaged("checkpoint note: malformed signature line " + std::to_string(count));
    }
    // A signature of any other key (a witness's cosignature, a rotated key of the same name)
    // is not ours to judge: ignored.
    if (line.substr(0, sp) != name || raw.compare(0, 4, key_hash) != 0) continue;
    if (raw.size() != 4 + crypto_sign_BYTES) {
      return Damaged("checkpoint note: malformed signature line " + std::to_string(count));
    }
    if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(raw.data() + 4),
                                    reinterpret_cast<const unsigned char*>(body.data()),
                                    body.size(),
                                    reinterpret_cast<const unsigned char*>(typed.data() + 1)) != 0) {
      return Damaged("checkpoint signature does not verify (the checkpoint was altered)");
    }
    verified = true;
  }
  if (!verified) return Damaged("checkpoint is not signed by the key " + name);

  Checkpoint cp;
  if (lines.size() < 3) return Damaged("checkpoint body has fewer than three lines");
  cp.origin = lines[0];
  if (cp.origin != name) return Damaged("checkpoint origin does not match its key name");
  if (!internal::ParseU64(lines[1], &cp.size)) return Damaged("checkpoint size is not a number");
  if (!internal::UnB64(lines[2], &cp.root) || cp.root.size() != internal::kHashSize) {
    return Damaged("checkpoint root hash is malformed");
  }
  return cp;
}

std::string FormatConsistencyProof(const ConsistencyProofData& proof) {
  std::string out = "tvault consistency proof v1\nold " + std::to_string(proof.old_size) +
                    "\nnew " + std::to_string(proof.new_size) + "\n";
  for (const std::string& h : proof.hashes) out += internal::B64(h) + "\n";
  return out;
}

Result<ConsistencyProofData> ParseConsistencyProof(std::string_view text) {
  ConsistencyProofData p;
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return Damaged("consistency proof: last line not terminated");
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  if (lines.size() < 3 || lines[0] != "tvault consistency proof v1" ||
      lines[1].substr(0, 4) != "old " || lines[2].substr(0, 4) != "new " ||
      !internal::ParseU64(lines[1].substr(4), &p.old_size) ||
      !internal::ParseU64(lines[2].substr(4), &p.new_size)) {
    return Damaged("not a tvault consistency proof");
  }
  if (lines.size() - 3 > 128) return Damaged("consistency proof is too long");
  for (size_t i = 3; i < lines.size(); ++i) {
    std::string h;
    if (!internal::UnB64(lines[i], &h) || h.size() != internal::kHashSize) {
      return Damaged("consistency proof: line " + std::to_string(i + 1) + " is not a hash");
    }
    p.hashes.push_back(std::move(h));
  }
  return p;
}

Status VerifyConsistencyProof(const Checkpoint& older, const Checkpoint& newer,
                              const ConsistencyProofData& proof) {
  if (older.origin != newer.origin) return Damaged("the checkpoints are of different logs");
  if (proof.old_size != older.size || proof.new_size != newer.size) {
    return Damaged("the proof is for sizes " + std::to_string(proof.old_size) + " -> " +
                   std::to_string(proof.new_size) + ", the checkpoints are " +
                   std::to_string(older.size) + " -> " + std::to_string(newer.size));
  }
  if (older.size > newer.size) {
    return Damaged("the newer checkpoint is smaller: the log was rolled back");
  }
  if (!internal::VerifyConsistency(older.size, newer.size, older.root, newer.root, proof.hashes)) {
    return Damaged("consistency proof fails: the log of size " + std::to_string(newer.size) +
                   " does not extend the log of size " + std::to_string(older.size) +
                   " (history was rewritten)");
  }
  return Status::Ok();
}

}  // namespace tvault
