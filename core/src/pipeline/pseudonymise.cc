#include "pipeline/pseudonymise.h"

#include <sodium.h>
#include <utf8proc.h>

#include <algorithm>
#include <cstdint>

#include "crypto/seal.h"

namespace tvault::pipeline {
namespace {

constexpr char kKeyContext[] = "tvault pseudonym key v1";
constexpr char kPseudonymPrefix[] = "tvault pseudonym v1\n";
constexpr size_t kMinPhoneDigits = 6;
// The smallest normalisation buffer: room for a typical name at once, so that a scratch kept
// across calls is rarely replaced. A multiple of 4, as every size given to sodium_malloc here
// (see MapInto).
constexpr size_t kMinNormaliseSize = 1024;

// Byte for byte what utf8proc_map(text, options) returns, but built in `*buffer` (replaced by a
// larger sodium_malloc buffer when too small) instead of utf8proc's malloc'ed one, whose tail of
// UTF-32 code points utf8proc_map gives back to the heap unwiped when it shrinks it. Returns the
// length of the UTF-8 result at buffer->data().
Result<size_t> MapInto(std::string_view text, int options, SecretBytes* buffer) {
  const auto* in = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto in_size = static_cast<utf8proc_ssize_t>(text.size());
  const auto opts = static_cast<utf8proc_option_t>(options);
  // The first pass only counts the code points, as utf8proc_map's does.
  utf8proc_ssize_t n = utf8proc_decompose(in, in_size, nullptr, 0, opts);
  if (n < 0) return InvalidArgument("identity text is not valid UTF-8");
  // n code points, then re-encoded in place to UTF-8 with a terminating NUL that needs one more
  // byte when every character takes four. sodium_malloc places a buffer flush against its
  // guard page, so a size that is a multiple of 4 keeps the UTF-32 view aligned.
  const size_t need = (static_cast<size_t>(n) + 1) * sizeof(utf8proc_int32_t);
  if (buffer->size() < need) {
    *buffer = SecretBytes(std::max(need, kMinNormaliseSize));
    if (!buffer->valid()) return Internal("cannot allocate secure memory");
  }
  if (reinterpret_cast<uintptr_t>(buffer->data()) % alignof(utf8proc_int32_t) != 0) {
    return Internal("secure memory for identity text is not aligned");
  }
  auto* code_points = reinterpret_cast<utf8proc_int32_t*>(buffer->data());
  n = utf8proc_decompose(in, in_size, code_points, n, opts);
  if (n >= 0) n = utf8proc_reencode(code_points, n, opts);
  if (n < 0) {
    sodium_memzero(buffer->data(), need);
    return InvalidArgument("identity text is not valid UTF-8");
  }
  // The code points past the UTF-8 result are identity text too.
  sodium_memzero(buffer->data() + n, need - static_cast<size_t>(n));
  return static_cast<size_t>(n);
}

// NormaliseText into `*scratch`: returns the length of the result at scratch->normalised.data();
// scratch->folded is wiped. The caller wipes the result after use.
Result<size_t> NormaliseInto(std::string_view text, PseudonymScratch* scratch) {
  const int kFold = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;
  const int kNfkc = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE;
  TVAULT_ASSIGN_OR_RETURN(size_t folded, MapInto(text, kFold, &scratch->folded));
  Result<size_t> nfkc =
      MapInto(scratch->folded.view().substr(0, folded), kNfkc, &scratch->normalised);
  sodium_memzero(scratch->folded.data(), folded);
  if (!nfkc.ok()) return nfkc.status();
  // Collapse white space (ASCII and the Unicode spaces NFKC maps to U+0020) and trim, in place:
  // a space is written only for at least one white space character read, so the write position
  // never passes the read position.
  char* s = reinterpret_cast<char*>(scratch->normalised.data());
  size_t out = 0;
  bool pending_space = false;
  for (size_t i = 0; i < *nfkc; ++i) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      pending_space = out != 0;
      continue;
    }
    if (pending_space) s[out++] = ' ';
    pending_space = false;
    s[out++] = c;
  }
  sodium_memzero(s + out, *nfkc - out);
  return out;
}

void Wipe(std::string* s) { sodium_memzero(s->data(), s->size()); }

// Wipes a hash state on every way out of a scope: BLAKE2b keeps up to a block of its input.
class WipeOnExit {
 public:
  explicit WipeOnExit(crypto_generichash_state* st) : st_(st) {}
  ~WipeOnExit() { sodium_memzero(st_, sizeof *st_); }
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;

 private:
  crypto_generichash_state* st_;
};

void Update(crypto_generichash_state* st, std::string_view bytes) {
  crypto_generichash_update(st, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

Result<SecretBytes> NormaliseIdentityText(std::string_view text) {
  PseudonymScratch scratch;
  TVAULT_ASSIGN_OR_RETURN(size_t size, NormaliseInto(text, &scratch));
  SecretBytes out = SecretBytes::CopyOf(scratch.normalised.data(), size);
  if (!out.valid()) return Internal("cannot allocate secure memory");
  return out;
}

Result<std::string> NormaliseText(std::string_view text) {
  TVAULT_ASSIGN_OR_RETURN(SecretBytes normalised, NormaliseIdentityText(text));
  return std::string(normalised.view());
}

SecretBytes PseudonymKey(const OrgSecretKey& org) {
  SecretBytes key(kPseudonymSize);
  crypto_generichash(key.data(), key.size(), reinterpret_cast<const uint8_t*>(kKeyContext),
                     sizeof kKeyContext - 1, org.secret().data(), org.secret().size());
  return key;
}

Result<std::string> PseudonymOf(const SecretBytes& key, const v1::Identity& identity) {
  PseudonymScratch scratch;
  return PseudonymOf(key, identity, &scratch);
}

Result<std::string> PseudonymOf(const SecretBytes& key, const v1::Identity& identity,
                                PseudonymScratch* scratch) {
  // The hashed field (pseudonymise.h) is fed to BLAKE2b piece by piece, straight from the
  // identity and from the scratch's secure buffers, so that it is never assembled in a string.
  crypto_generichash_state st;
  WipeOnExit wipe_state(&st);
  crypto_generichash_init(&st, key.data(), key.size(), kPseudonymSize);
  Update(&st, std::string_view(kPseudonymPrefix, sizeof kPseudonymPrefix - 1));
  bool identified = false;
  if (!identity.name().empty()) {
    TVAULT_ASSIGN_OR_RETURN(size_t name, NormaliseInto(identity.name(), scratch));
    if (name > 0) {
      Update(&st, "name:");
      Update(&st, scratch->normalised.view().substr(0, name));
      Update(&st, "|dob:");
      Update(&st, identity.date_of_birth());
      identified = true;
    }
    sodium_memzero(scratch->normalised.data(), name);
  }
  if (!identified) {
    const std::string& phone = identity.phone();
    const size_t digits = static_cast<size_t>(
        std::count_if(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; }));
    if (digits >= kMinPhoneDigits) {
      Update(&st, "phone:");
      for (char c : phone) {
        if (c >= '0' && c <= '9') Update(&st, std::string_view(&c, 1));
      }
      identified = true;
    }
  }
  if (!identified && !identity.contact().empty()) {
    TVAULT_ASSIGN_OR_RETURN(size_t contact, NormaliseInto(identity.contact(), scratch));
    if (contact > 0) {
      Update(&st, "contact:");
      Update(&st, scratch->normalised.view().substr(0, contact));
      identified = true;
    }
    sodium_memzero(scratch->normalised.data(), contact);
  }
  if (!identified) return std::string();
  Update(&st, "\n");
  std::string out(kPseudonymSize, '\0');
  crypto_generichash_final(&st, reinterpret_cast<uint8_t*>(out.data()), out.size());
  return out;
}

Result<std::string> PseudonymOfSealed(const OrgSecretKey& org, const SecretBytes& key,
                                      std::string_view sealed) {
  PseudonymScratch scratch;
  return PseudonymOfSealed(org, key, sealed, &scratch);
}

Result<std::string> PseudonymOfSealed(const OrgSecretKey& org, const SecretBytes& key,
                                      std::string_view sealed, PseudonymScratch* scratch) {
  if (sealed.empty()) return std::string();
  TVAULT_ASSIGN_OR_RETURN(size_t size, internal::OpenSealedInto(org, sealed, &scratch->opened));
  v1::Identity identity;
  const bool parsed = identity.ParseFromArray(scratch->opened.data(), static_cast<int>(size));
  sodium_memzero(scratch->opened.data(), size);
  if (!parsed) return Damaged("a sealed identity opened but does not parse");
  Result<std::string> pseudonym = PseudonymOf(key, identity, scratch);
  for (std::string* s : {identity.mutable_name(), identity.mutable_phone(),
                         identity.mutable_contact(), identity.mutable_date_of_birth()}) {
    Wipe(s);
  }
  return pseudonym;
}

}  // namespace tvault::pipeline
