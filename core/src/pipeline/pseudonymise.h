// The "pseudonymise" stage: from a sealed identity to a keyed pseudonym of the person.
//
// The pseudonym key is derived from the organisation secret (BLAKE2b-256 keyed with the X25519
// secret over a fixed context string), so only those who hold org.key can compute or test a
// pseudonym, and no extra key file has to be distributed or can be lost. The pseudonym of a
// person is BLAKE2b-256 keyed with the pseudonym key over the canonical encoding of the
// normalised identity (docs/methodology.md, "Counting people once"):
//
//   "tvault pseudonym v1\n" || field || "\n"
//
// where `field` is "name:" + N(name) + "|dob:" + date_of_birth when the name is not empty,
// else "phone:" + digits of the phone when it has at least 6 digits, else "contact:" +
// N(contact) when not empty; with nothing of these the identity has no pseudonym (empty
// string) and the testimony is never merged with another. N() is Unicode NFKC, then case fold,
// then NFKC again (so "ǅ" and "DŽ" meet), with white space runs collapsed to one space and
// trimmed.
//
// Pseudonyms never leave the store: they are for counting people once, and a report, a log
// entry or an error message never holds one.
#ifndef TVAULT_PIPELINE_PSEUDONYMISE_H_
#define TVAULT_PIPELINE_PSEUDONYMISE_H_

#include <string>
#include <string_view>

#include "tvault/keys.h"
#include "tvault/secret.h"
#include "tvault/status.h"
#include "tvault/v1/testimony.pb.h"

namespace tvault::pipeline {

constexpr size_t kPseudonymSize = 32;

// NFKC + case fold + NFKC, white space collapsed and trimmed, built in sodium_malloc memory
// (utf8proc's own malloc'ed buffers are not used): PseudonymOf normalises identities this way,
// and no normalised identity is ever in an ordinary heap string. kInvalidArgument on invalid
// UTF-8 (stored identities were validated, so this means damage).
Result<SecretBytes> NormaliseIdentityText(std::string_view text);

// The same text copied into a std::string: for tests and for text that identifies nobody.
Result<std::string> NormaliseText(std::string_view text);

// The sodium_malloc buffers of a derivation: the opened identity and the two passes of its
// normalisation. They are grown on demand, wiped after each use and when freed; a caller deriving
// many pseudonyms keeps one across calls, because each sodium_malloc costs several system calls
// (guard pages, mlock). No opened or normalised identity is ever in an ordinary heap string.
struct PseudonymScratch {
  SecretBytes opened;      // the sealed identity, opened (internal::OpenSealedInto)
  SecretBytes folded;      // NFKC + case fold of a name or contact, as UTF-32 then UTF-8
  SecretBytes normalised;  // NFKC of `folded`, white space collapsed: the text hashed
};

// The 32-byte pseudonym key of an organisation.
SecretBytes PseudonymKey(const OrgSecretKey& org);

// The person's pseudonym (kPseudonymSize raw bytes), or "" when nothing in `identity`
// identifies a person. The field is hashed piece by piece from `identity` and from wiped
// sodium_malloc buffers, never assembled in a string. REQUIRES: key.size() == 32.
Result<std::string> PseudonymOf(const SecretBytes& key, const v1::Identity& identity);
// The same, normalising in `*scratch`.
Result<std::string> PseudonymOf(const SecretBytes& key, const v1::Identity& identity,
                                PseudonymScratch* scratch);

// Opens a sealed identity blob with the organisation secret and derives its pseudonym; the
// opened identity exists only in sodium_malloc memory and wiped protobuf strings. An empty blob
// (no identity was given) has the pseudonym "". kDamaged when the blob does not open.
Result<std::string> PseudonymOfSealed(const OrgSecretKey& org, const SecretBytes& key,
                                      std::string_view sealed);
// The same, opening and normalising in `*scratch`, which a caller deriving many pseudonyms keeps
// across calls.
Result<std::string> PseudonymOfSealed(const OrgSecretKey& org, const SecretBytes& key,
                                      std::string_view sealed, PseudonymScratch* scratch);

}  // namespace tvault::pipeline

#endif  // TVAULT_PIPELINE_PSEUDONYMISE_H_
