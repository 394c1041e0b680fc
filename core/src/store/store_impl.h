// The state behind tvault::Store, shared by the files of store/.
#ifndef TVAULT_STORE_STORE_IMPL_H_
#define TVAULT_STORE_STORE_IMPL_H_

#include <string>

#include "store/db.h"
#include "tvault/store.h"

namespace tvault {

struct Store::Impl {
  std::string dir;
  internal::Db db;
  OrgPublicKey org;
  std::string store_id;
  std::string monitor_id;

  std::string Actor() const { return monitor_id.empty() ? "local" : monitor_id; }
};

namespace internal {

// Appends one audit-log entry. REQUIRES: inside the transaction of the change it records.
Status AppendAudit(Db& db, const std::string& actor, const std::string& action,
                   const std::string& record_id, uint32_t record_version,
                   const std::string& content_hash);

std::string StorePath(const std::string& dir, const char* file);
// SHA-256 of `bytes`, raw 32 bytes.
std::string Sha256(const std::string& bytes);
// A fresh 128-bit random id as 32 lower-case hex digits.
std::string NewRecordId();
// Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on any failure.
template <typename F>
Status InTransaction(Db& db, F&& body) {
  TVAULT_RETURN_IF_ERROR(db.Begin());
  Status s = body();
  if (s.ok()) s = db.Commit();
  if (!s.ok()) db.Rollback();
  return s;
}

}  // namespace internal
}  // namespace tvault

#endif  // TVAULT_STORE_STORE_IMPL_H_
