// Store::ImportBundle: two passes over the file. The first decrypts, parses and checks the
// whole bundle and its signature without writing anything; only then does the second apply
// it in one transaction, checking that the file it reads is the one that was verified.
#include <sodium.h>

#include <cctype>

#include "bundle/format.h"
#include "store/log_proof.h"
#include "store/merge.h"
#include "store/trust.h"
#include "util/clock.h"

namespace tvault {

namespace {

internal::IncomingVersion ToIncoming(const v1::BundleRecord& r, const std::string& hash,
                                     v1::Testimony* body) {
  internal::IncomingVersion in;
  in.version = r.version();
  in.hash = hash;
  in.parent = r.parent_hash();
  in.kind = r.kind();
  in.created_at = r.created_at();
  in.tombstone = r.tombstone();
  in.reason = r.reason();
  in.body = r.body();
  if (body != nullptr) {
    in.testimony = std::make_unique<v1::Testimony>();
    in.testimony->Swap(body);
  }
  return in;
}

// Checks each consistency proof of the trailer whose old size is a checkpoint kept from an
// earlier bundle of the same store and signer: the new log must extend it.
Status CheckTrailerProofs(internal::Db& db, const v1::BundleTrailer& t, const Checkpoint& cp,
                          const std::string& signer) {
  TVAULT_ASSIGN_OR_RETURN(
      internal::Stmt st,
      db.Prepare("SELECT root FROM received_checkpoints WHERE signer = ? AND origin = ? AND "
                 "size = ?"));
  for (const v1::LogConsistencyProof& p : t.log_proofs()) {
    if (p.new_size() != cp.size || p.old_size() == 0 || p.old_size() >= cp.size) {
      return Damaged("a consistency proof of the trailer does not end at its checkpoint");
    }
    st.Reset();
    st.Bind(1, signer).Bind(2, cp.origin).Bind(3, static_cast<int64_t>(p.old_size()));
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) continue;  // that earlier bundle never arrived here
    Checkpoint old{cp.origin, p.old_size(), st.Blob(0)};
    if (!VerifyConsistencyProof(old, cp, internal::ProofFromProto(p)).ok()) {
      return Damaged("the exporting store's audit log does not extend the log of its earlier "
                     "bundle (" + std::to_string(old.size) + " entries): its history was "
                     "rewritten");
    }
  }
  return Status::Ok();
}

// Checks the exporting store's checkpoint against those kept from its earlier bundles (kept per
// signer and origin, so that no other signer's bundles can change what this one is checked
// against): the same origin must keep its verifier key, a checkpoint of a size already seen must have the same
// root (otherwise that store's log forked: its history was rewritten, or it was rolled back and
// written again), and the trailer's proofs from kept checkpoints must hold. A smaller size than
// one seen is allowed: bundles may arrive out of order.
Status CheckReceivedCheckpoint(internal::Db& db, const v1::BundleTrailer& t,
                               const Checkpoint& cp, const std::string& signer) {
  TVAULT_ASSIGN_OR_RETURN(
      internal::Stmt st,
      db.Prepare("SELECT size, root, verifier_key FROM received_checkpoints WHERE signer = ?4 "
                 "AND origin = ?1 AND (size = ?2 OR verifier_key <> ?3) LIMIT 1"));
  st.Bind(1, cp.origin)
      .Bind(2, static_cast<int64_t>(cp.size))
      .Bind(3, t.log_verifier_key())
      .Bind(4, signer);
  TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return CheckTrailerProofs(db, t, cp, signer);
  if (st.Text(2) != t.log_verifier_key()) {
    return Damaged("the exporting store's audit-log key changed since its earlier bundles");
  }
  if (st.Blob(1) != cp.root) {
    return Damaged("the exporting store's audit log forked: an earlier bundle showed another "
                   "log of " + std::to_string(cp.size) + " entries (its history was rewritten "
                   "or rolled back)");
  }
  return CheckTrailerProofs(db, t, cp, signer);
}

Status KeepReceivedCheckpoint(internal::Db& db, const v1::BundleTrailer& t,
                              const Checkpoint& cp, const std::string& signer) {
  TVAULT_ASSIGN_OR_RETURN(
      internal::Stmt st,
      db.Prepare("INSERT OR IGNORE INTO received_checkpoints(origin, size, root, note, "
                 "verifier_key, signer, received_at) VALUES(?, ?, ?, ?, ?, ?, ?)"));
  return st.Bind(1, cp.origin)
      .Bind(2, static_cast<int64_t>(cp.size))
      .BindBlob(3, cp.root)
      .Bind(4, t.checkpoint_note())
      .Bind(5, t.log_verifier_key())
      .Bind(6, signer)
      .Bind(7, internal::Rfc3339(internal::NowSeconds()))
      .Run();
}

std::string FacilityTypeName(v1::FacilityType type) {
  std::string name = v1::FacilityType_Name(type);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string Describe(const v1::Facility& f) {
  return "\"" + f.name() + "\" (" + FacilityTypeName(f.type()) + ", " + f.country() + ")";
}

// Adds the facilities of `trailer` that the registry does not hold (logged as "facility-add",
// like `tvault facility add`), and notes those it holds differently, leaving its entry as is.
Status AddCarriedFacilities(Store::Impl* impl, const v1::BundleTrailer& trailer,
                            internal::LogWriter& log, BundleImportResult* result) {
  const std::string now = internal::Rfc3339(internal::NowSeconds());
  for (const v1::Facility& f : trailer.facilities()) {
    TVAULT_ASSIGN_OR_RETURN(internal::Stmt get,
                            impl->db.Prepare("SELECT body FROM facilities WHERE id = ?"));
    get.Bind(1, f.id());
    TVAULT_ASSIGN_OR_RETURN(bool row, get.Step());
    if (row) {
      v1::Facility mine;
      if (!mine.ParseFromString(get.Blob(0))) {
        return Damaged(std::string(internal::kDamagedMessage) + " (facility registry)");
      }
      if (mine.name() != f.name() || mine.country() != f.country() || mine.type() != f.type()) {
        result->facility_differences.push_back(f.id() + ": here " + Describe(mine) +
                                               "; in the bundle " + Describe(f));
      }
      continue;
    }
    const std::string body = f.SerializeAsString();
    TVAULT_ASSIGN_OR_RETURN(
        internal::Stmt ins, impl->db.Prepare("INSERT INTO facilities(id, country, body, created_at) "
                                   "VALUES(?, ?, ?, ?)"));
    TVAULT_RETURN_IF_ERROR(
        ins.Bind(1, f.id()).Bind(2, f.country()).BindBlob(3, body).Bind(4, now).Run());
    TVAULT_RETURN_IF_ERROR(
        log.Append(impl->Actor(), "facility-add", f.id(), 1, internal::Sha256(body)));
    result->facilities_added.push_back(f.id());
  }
  return Status::Ok();
}

}  // namespace

Result<BundleImportResult> Store::ImportBundle(const std::string& path, const OrgSecretKey& org,
                                               const BundleProgress& progress,
                                               const BundleLimits& limits) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  TVAULT_RETURN_IF_ERROR(impl_->RequireOrgSecret(org));
  // Pass 1: everything is checked before the store is touched.
  TVAULT_ASSIGN_OR_RETURN(internal::BundleScan scan,
                          internal::ScanBundle(path, org, nullptr, progress, "verify",
                                               internal::BundlePrehash::kCompute, limits));
  TVAULT_ASSIGN_OR_RETURN(std::vector<TrustedSigner> trusted, TrustedSigners());
  TVAULT_ASSIGN_OR_RETURN(TrustedSigner signer, internal::VerifyBundleSigner(scan, trusted));
  // The trailer's note was verified against its key by the scan; parsed once more here.
  TVAULT_ASSIGN_OR_RETURN(
      Checkpoint cp,
      VerifyCheckpointNote(scan.trailer.checkpoint_note(), scan.trailer.log_verifier_key()));
  // The signer's trust entry is bound to one store and its log key: a trusted monitor cannot
  // pass its bundle off as another store's (and so lock that store's bundles out).
  bool bound_now = false;
  TVAULT_RETURN_IF_ERROR(internal::CheckAndBindSigner(impl_->db, signer, scan.header.store_id(),
                                                      scan.trailer.log_verifier_key(),
                                                      /*bind=*/false, &bound_now));
  TVAULT_RETURN_IF_ERROR(
      CheckReceivedCheckpoint(impl_->db, scan.trailer, cp, signer.key.KeyIdHex()));

  BundleImportResult result;
  result.signer_name = signer.name;
  result.signer_key_id = signer.key.KeyIdHex();
  result.source_store = scan.header.store_id();
  result.source_monitor = scan.header.monitor_id();
  result.record_versions = scan.header.record_versions();
  result.source_log_key = scan.trailer.log_verifier_key();

  // Pass 2, in one transaction. Versions arrive grouped by record (the payload is sorted), so
  // only one record's versions are held at a time.
  internal::RecordMerger merger(impl_.get());
  internal::AttachmentImporter attachments(&impl_->db, &org);
  const internal::BundleAttachmentHandler attachment_handler = attachments.Handler();
  bool changed = false;
  std::string current_id;
  std::vector<internal::IncomingVersion> pending;
  auto flush = [&]() -> Status {
    if (pending.empty()) return Status::Ok();
    TVAULT_ASSIGN_OR_RETURN(internal::RecordMerger::Outcome o,
                            merger.Merge(current_id, pending, result.signer_key_id));
    result.versions_added += o.added;
    changed |= o.changed;
    if (o.conflicting) {
      ++result.conflicting;
    } else if (!o.changed) {
      ++result.unchanged;
    } else if (!o.existed) {
      ++result.new_records;
    } else {
      ++result.updated;
    }
    pending.clear();
    return Status::Ok();
  };
  TVAULT_RETURN_IF_ERROR(impl_->db.Begin());
  Status s = [&]() -> Status {
    TVAULT_ASSIGN_OR_RETURN(internal::LogWriter log, internal::LogWriter::Load(impl_->db));
    // Facilities first, so that the testimonies that refer to them find their country.
    TVAULT_RETURN_IF_ERROR(AddCarriedFacilities(impl_.get(), scan.trailer, log, &result));
    changed = !result.facilities_added.empty();
    TVAULT_RETURN_IF_ERROR(merger.LoadFacilities());
    TVAULT_ASSIGN_OR_RETURN(
        internal::BundleScan again,
        internal::ScanBundle(
            path, org,
            [&](const v1::BundleRecord& r, const std::string& hash,
                v1::Testimony* body) -> Status {
              if (r.id() != current_id) {
                TVAULT_RETURN_IF_ERROR(flush());
                current_id = r.id();
              }
              pending.push_back(ToIncoming(r, hash, body));
              return Status::Ok();
            },
            progress, "import", internal::BundlePrehash::kSkip, limits, &attachment_handler));
    TVAULT_RETURN_IF_ERROR(flush());
    result.attachments_added = attachments.added();
    result.attachments_detached = attachments.detached();
    result.attachments_skipped = attachments.skipped();
    changed |= attachments.added() > 0 || attachments.detached() > 0;
    // The same payload (SHA-256 is collision resistant) and signature as the verified pass:
    // the minisign prehash need not be computed again.
    if (again.payload_sha256 != scan.payload_sha256 || again.signature != scan.signature) {
      return Damaged("the file changed while it was being imported");
    }
    if (!changed) return Status::Ok();  // nothing new: write nothing at all
    TVAULT_RETURN_IF_ERROR(internal::CheckAndBindSigner(
        impl_->db, signer, scan.header.store_id(), scan.trailer.log_verifier_key(),
        /*bind=*/true, &result.signer_bound));
    if (result.signer_bound) {
      TVAULT_RETURN_IF_ERROR(log.Append(impl_->Actor(), "trust-bind", result.signer_key_id, 0,
                                        internal::Sha256(scan.trailer.log_verifier_key())));
    }
    TVAULT_RETURN_IF_ERROR(
        KeepReceivedCheckpoint(impl_->db, scan.trailer, cp, result.signer_key_id));
    // Each attachment added carries its custody statement into this store's log too.
    for (const auto& a : attachments.added_list()) {
      TVAULT_RETURN_IF_ERROR(log.Append(impl_->Actor(), "attach", a.record_id, a.number,
                                        internal::Sha256(a.custody)));
    }
    // The record-id field names the signer of the bundle (its minisign key id), so the log
    // says whose testimonies entered the store; the hash pins the exact payload.
    TVAULT_RETURN_IF_ERROR(
        log.Append(impl_->Actor(), "import", result.signer_key_id, 0, scan.payload_sha256));
    return log.Finish(impl_->Origin(), impl_->log_seed);
  }();
  if (s.ok() && changed) s = impl_->db.Commit();
  if (!s.ok() || !changed) impl_->db.Rollback();
  if (!s.ok()) return s;
  return result;
}

}  // namespace tvault
