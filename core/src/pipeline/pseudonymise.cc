#include "pipeline/pseudonymise.h"

#include <sodium.h>
#include <utf8proc.h>

#include <cstdlib>
#include <memory>

#include "crypto/seal.h"

namespace tvault::pipeline {
namespace {

constexpr char kKeyContext[] = "tvault pseudonym key v1";
constexpr char kPseudonymPrefix[] = "tvault pseudonym v1\n";
constexpr size_t kMinPhoneDigits = 6;

// Runs utf8proc_map with `options` over `text`; the result buffer is wiped before it is freed
// because it holds identity text.
Result<std::string> Map(std::string_view text, int options) {
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                    static_cast<utf8proc_ssize_t>(text.size()), &out,
                                    static_cast<utf8proc_option_t>(options));
  if (n < 0) return InvalidArgument("identity text is not valid UTF-8");
  std::string result(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
  sodium_memzero(out, static_cast<size_t>(n));
  std::free(out);
  return result;
}

void Wipe(std::string* s) { sodium_memzero(s->data(), s->size()); }

}  // namespace

Result<std::string> NormaliseText(std::string_view text) {
  const int kFold = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD;
  const int kNfkc = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE;
  TVAULT_ASSIGN_OR_RETURN(std::string folded, Map(text, kFold));
  Result<std::string> nfkc = Map(folded, kNfkc);
  Wipe(&folded);
  if (!nfkc.ok()) return nfkc.status();
  std::string s = std::move(nfkc).value();
  // Collapse white space (ASCII and the Unicode spaces NFKC maps to U+0020) and trim.
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  Wipe(&s);
  return out;
}

SecretBytes PseudonymKey(const OrgSecretKey& org) {
  SecretBytes key(kPseudonymSize);
  crypto_generichash(key.data(), key.size(), reinterpret_cast<const uint8_t*>(kKeyContext),
                     sizeof kKeyContext - 1, org.secret().data(), org.secret().size());
  return key;
}

Result<std::string> PseudonymOf(const SecretBytes& key, const v1::Identity& identity) {
  std::string field;
  if (!identity.name().empty()) {
    TVAULT_ASSIGN_OR_RETURN(std::string name, NormaliseText(identity.name()));
    field = "name:" + name + "|dob:" + identity.date_of_birth();
    Wipe(&name);
  }
  if (field.empty() || field == "name:|dob:" + identity.date_of_birth()) {
    Wipe(&field);
    field.clear();
    std::string digits;
    for (char c : identity.phone()) {
      if (c >= '0' && c <= '9') digits.push_back(c);
    }
    if (digits.size() >= kMinPhoneDigits) field = "phone:" + digits;
    Wipe(&digits);
  }
  if (field.empty() && !identity.contact().empty()) {
    TVAULT_ASSIGN_OR_RETURN(std::string contact, NormaliseText(identity.contact()));
    if (!contact.empty()) field = "contact:" + contact;
    Wipe(&contact);
  }
  if (field.empty()) return std::string();
  crypto_generichash_state st;
  crypto_generichash_init(&st, key.data(), key.size(), kPseudonymSize);
  crypto_generichash_update(&st, reinterpret_cast<const uint8_t*>(kPseudonymPrefix),
                            sizeof kPseudonymPrefix - 1);
  crypto_generichash_update(&st, reinterpret_cast<const uint8_t*>(field.data()), field.size());
  crypto_generichash_update(&st, reinterpret_cast<const uint8_t*>("\n"), 1);
  std::string out(kPseudonymSize, '\0');
  crypto_generichash_final(&st, reinterpret_cast<uint8_t*>(out.data()), out.size());
  sodium_memzero(&st, sizeof st);
  Wipe(&field);
  return out;
}

Result<std::string> PseudonymOfSealed(const OrgSecretKey& org, const SecretBytes& key,
                                      std::string_view sealed) {
  SecretBytes scratch;
  return PseudonymOfSealed(org, key, sealed, &scratch);
}

Result<std::string> PseudonymOfSealed(const OrgSecretKey& org, const SecretBytes& key,
                                      std::string_view sealed, SecretBytes* scratch) {
  if (sealed.empty()) return std::string();
  TVAULT_ASSIGN_OR_RETURN(size_t size, internal::OpenSealedInto(org, sealed, scratch));
  v1::Identity identity;
  const bool parsed = identity.ParseFromArray(scratch->data(), static_cast<int>(size));
  sodium_memzero(scratch->data(), size);
  if (!parsed) return Damaged("a sealed identity opened but does not parse");
  Result<std::string> pseudonym = PseudonymOf(key, identity);
  for (std::string* s : {identity.mutable_name(), identity.mutable_phone(),
                         identity.mutable_contact(), identity.mutable_date_of_birth()}) {
    Wipe(s);
  }
  return pseudonym;
}

}  // namespace tvault::pipeline
