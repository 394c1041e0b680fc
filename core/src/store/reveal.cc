// Store::RevealIdentity: the one read of a plaintext identity that the store allows, and the
// one read that is logged. The entry is written in the same transaction that reads the sealed
// identity, and the identity is returned only after that transaction commits, so a reveal
// that left no trace cannot happen through this API.
#include <sodium.h>

#include "crypto/seal.h"
#include "store/store_impl.h"

namespace tvault {

using internal::Stmt;

Result<v1::Identity> Store::RevealIdentity(const std::string& id, uint32_t version,
                                           const OrgSecretKey& org) {
  TVAULT_RETURN_IF_ERROR(impl_->RequireOrgSecret(org));
  v1::Identity identity;
  TVAULT_RETURN_IF_ERROR(impl_->Mutate([&](internal::LogWriter& log) -> Status {
    // Version 0 means the latest version of the agreed line (records.latest_version).
    TVAULT_ASSIGN_OR_RETURN(
        Stmt st, impl_->db.Prepare("SELECT v.version, v.tombstone, v.body, v.content_hash "
                                   "FROM record_versions v JOIN records r ON r.id = v.id "
                                   "WHERE v.id = ?1 AND v.version = "
                                   "CASE WHEN ?2 = 0 THEN r.latest_version ELSE ?2 END"));
    st.Bind(1, id).Bind(2, static_cast<int64_t>(version));
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) {
      if (version == 0 || !internal::IsRecordId(id)) return internal::NoSuchRecord(id);
      return NotFound("record " + id + " has no version " + std::to_string(version));
    }
    const uint32_t found = static_cast<uint32_t>(st.Int(0));
    const std::string where = "record " + id + " version " + std::to_string(found);
    if (st.Int(1) != 0) return InvalidArgument(where + " is a deletion: it holds no identity");
    v1::Testimony t;
    if (!t.ParseFromString(st.Blob(2))) {
      return Damaged(std::string(internal::kDamagedMessage) + " (" + where + ")");
    }
    if (t.sealed_identity().empty()) return NotFound(where + " holds no identity");
    Result<SecretBytes> plain = internal::OpenSealed(org, t.sealed_identity());
    if (!plain.ok()) {
      return Damaged(where + ": the sealed identity does not open with this organisation key");
    }
    if (!identity.ParseFromArray(plain->data(), static_cast<int>(plain->size()))) {
      return Damaged(where + ": the sealed identity is not a tvault.v1.Identity");
    }
    return log.Append(impl_->Actor(), "reveal", id, found, st.Blob(3));
  }));
  return identity;
}

Status Store::LogOpenIdentities(const OrgSecretKey& org, const std::string& purpose,
                                const std::string& hash) {
  TVAULT_RETURN_IF_ERROR(impl_->RequireOrgSecret(org));
  if (!hash.empty() && hash.size() != crypto_hash_sha256_BYTES) {
    return InvalidArgument("LogOpenIdentities: the hash is not 32 bytes");
  }
  return impl_->Mutate([&](internal::LogWriter& log) {
    return log.Append(impl_->Actor(), "open-identities", purpose, 0, hash);
  });
}

}  // namespace tvault
