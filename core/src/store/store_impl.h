// The state behind tvault::Store, shared by the files of store/.
#ifndef TVAULT_STORE_STORE_IMPL_H_
#define TVAULT_STORE_STORE_IMPL_H_

#include <sodium.h>

#include <functional>
#include <string>

#include "store/audit_log.h"
#include "store/checkpoint.h"
#include "store/db.h"
#include "tvault/store.h"

namespace tvault {

struct Store::Impl {
  std::string dir;
  internal::Db db;
  OrgPublicKey org;
  std::string store_id;
  std::string monitor_id;

  SecretBytes log_seed;  // the store's Ed25519 checkpoint key (seed), from meta
  std::string actor;     // CheckpointKeyId of log_seed; set with it (SetLogKey)

  // The actor of every audit-log entry this store appends: the id of the key that signs its
  // checkpoints, never a person's name or the monitor code (docs/formats.md, "Audit log").
  const std::string& Actor() const { return actor; }
  std::string Origin() const { return internal::kCheckpointOriginPrefix + store_id; }
  // kInvalidArgument naming both fingerprints unless `org` is the secret half of this store's
  // organisation key (the operations that open sealed identities or bundles need it).
  Status RequireOrgSecret(const OrgSecretKey& org) const {
    if (sodium_memcmp(org.public_key().bytes().data(), this->org.bytes().data(), kOrgKeySize) ==
        0) {
      return Status::Ok();
    }
    return InvalidArgument("--org-secret: the organisation key " +
                           org.public_key().Fingerprint() + " is not this store's (" +
                           this->org.Fingerprint() + ")");
  }

  // REQUIRES: store_id is set. Takes the checkpoint key seed and derives the actor from it.
  void SetLogKey(SecretBytes seed) {
    log_seed = std::move(seed);
    actor = internal::CheckpointKeyId(Origin(), log_seed);
  }

  // Runs `body(log)` in one write transaction; the entries it appends to `log` and a signed
  // checkpoint of the new tree head commit with the change, or nothing does.
  template <typename F>
  Status Mutate(F&& body) {
    TVAULT_RETURN_IF_ERROR(db.Begin());
    Status s = [&]() -> Status {
      TVAULT_ASSIGN_OR_RETURN(internal::LogWriter log, internal::LogWriter::Load(db));
      TVAULT_RETURN_IF_ERROR(body(log));
      return log.Finish(Origin(), log_seed);
    }();
    if (s.ok()) s = db.Commit();
    if (!s.ok()) db.Rollback();
    return s;
  }
};

namespace internal {

std::string StorePath(const std::string& dir, const char* file);
// SHA-256 of `bytes`, raw 32 bytes.
std::string Sha256(const std::string& bytes);
// A fresh 128-bit random id as 32 lower-case hex digits.
std::string NewRecordId();

// True for a record id: 32 lower-case hex digits.
inline bool IsRecordId(const std::string& id) {
  return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// kNotFound for a record that does not exist. The message names the id only when it is one:
// whatever else a caller passed (a name typed by mistake) must not reach a log.
inline Status NoSuchRecord(const std::string& id) {
  return NotFound(IsRecordId(id) ? "no record with id " + id : "no record with that id");
}

// The columns every query of `records` starts with, in this order; ReadRecordSummary reads
// them from columns 0 to 8 of a row.
constexpr char kRecordSummaryColumns[] =
    "r.id, r.latest_version, r.kind, r.incident_month, r.country, r.pushed_from, r.pushed_to, "
    "r.facility_id, r.people";
void ReadRecordSummary(const Stmt& st, RecordInfo* r);

// Everything the `records` row holds about one version, derived from the testimony itself so
// the queryable columns can never disagree with the stored body (records.cc).
RecordInfo Summarise(const v1::Testimony& t,
                     const std::function<std::string(const std::string&)>& facility_country);

// Replaces the plaintext identity of `*t` (if any) by its sealed form (sealed_identity), and
// wipes the plaintext (records.cc). The plaintext is wiped also when sealing fails.
Status SealIdentity(const OrgPublicKey& org, v1::Testimony* t);

// What Add and Edit do besides writing the records (drafts.cc uses them to finish a draft).
struct WriteExtras {
  // When not empty: the sealed identity of every record that carries no plaintext identity
  // (for an edit, instead of the current version's).
  std::string sealed_identity;
  // When set: runs inside the write transaction, after the records are written; its error
  // rolls everything back.
  std::function<Status()> also;
};

// The bodies of Store::Add and Store::Edit (records.cc).
Result<std::vector<std::string>> AddRecords(Store::Impl* impl, std::vector<InputRecord> records,
                                            const WriteExtras& extras);
Result<uint32_t> EditRecord(Store& store, Store::Impl* impl, const std::string& id,
                            InputRecord replacement, const WriteExtras& extras);

}  // namespace internal
}  // namespace tvault

#endif  // TVAULT_STORE_STORE_IMPL_H_
