// Store::ExportBundle: streams the versions and attachments not yet exported into a new signed,
// encrypted bundle, then records them as exported, all under the store's write lock.
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <set>

#include "bundle/format.h"
#include "store/log_proof.h"
#include "store/store_impl.h"
#include "util/clock.h"
#include "util/file.h"

namespace tvault {

using internal::Stmt;

namespace {

// Versions on the agreed line, each with its parent's hash, in (id, version) order: the
// primary key's order, so SQLite needs no sorter and memory stays flat. A version is
// identified with its parent (docs/formats.md, "Merging versions from bundles").
#define TVAULT_MAIN_PARENT                                                              \
  "COALESCE((SELECT p.content_hash FROM record_versions p WHERE p.id = v.id AND "       \
  "p.version = v.version - 1), x'')"
constexpr char kMainSql[] =
    "SELECT v.id, v.version, v.content_hash, " TVAULT_MAIN_PARENT ", (SELECT r.kind FROM "
    "records r WHERE r.id = v.id), v.created_at, v.tombstone, v.reason, v.body FROM "
    "record_versions v WHERE ?1 OR NOT EXISTS (SELECT 1 FROM exported e WHERE e.id = v.id AND "
    "e.version = v.version AND e.content_hash = v.content_hash AND e.parent_hash = "
    TVAULT_MAIN_PARENT ") ORDER BY v.id, v.version";
constexpr char kSideSql[] =
    "SELECT s.id, s.version, s.content_hash, s.parent_hash, s.kind, s.created_at, s.tombstone, "
    "s.reason, s.body FROM side_versions s WHERE ?1 OR NOT EXISTS (SELECT 1 FROM exported e "
    "WHERE e.id = s.id AND e.version = s.version AND e.content_hash = s.content_hash AND "
    "e.parent_hash = s.parent_hash) ORDER BY s.id, s.version, s.content_hash, s.parent_hash";
constexpr char kMarkExportedSql[] =
    "INSERT OR IGNORE INTO exported(id, version, content_hash, parent_hash) SELECT v.id, "
    "v.version, v.content_hash, " TVAULT_MAIN_PARENT " FROM record_versions v; "
    "INSERT OR IGNORE INTO exported(id, version, content_hash, parent_hash) SELECT id, version, "
    "content_hash, parent_hash FROM side_versions";
#undef TVAULT_MAIN_PARENT

// Writes length-delimited messages to the age stream and hashes them as the payload.
class PayloadWriter {
 public:
  explicit PayloadWriter(internal::AgeWriter* age) : age_(age) {
    crypto_hash_sha256_init(&sha_);
  }

  Status Write(const v1::BundleMessage& msg) {
    buf_.clear();
    internal::AppendVarint(&buf_, msg.ByteSizeLong());
    if (!msg.AppendToString(&buf_)) return Internal("cannot serialize a bundle message");
    hasher_.Update(buf_);
    crypto_hash_sha256_update(&sha_, reinterpret_cast<const uint8_t*>(buf_.data()), buf_.size());
    bytes_ += buf_.size();
    return age_->Write(buf_);
  }

  uint64_t bytes() const { return bytes_; }
  MinisignPrehash Prehash() { return hasher_.Final(); }
  std::string Sha256() {
    std::string out(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256_final(&sha_, reinterpret_cast<uint8_t*>(out.data()));
    return out;
  }

 private:
  internal::AgeWriter* age_;
  std::string buf_;
  MinisignHasher hasher_;
  crypto_hash_sha256_state sha_;
  uint64_t bytes_ = 0;
};

void FillRecord(const Stmt& st, v1::BundleRecord* r) {
  r->set_id(st.Text(0));
  r->set_version(static_cast<uint32_t>(st.Int(1)));
  r->set_parent_hash(st.Blob(3));
  r->set_kind(static_cast<v1::Kind>(st.Int(4)));
  r->set_created_at(st.Text(5));
  r->set_tombstone(st.Int(6) != 0);
  r->set_reason(st.Text(7));
  r->set_body(st.Blob(8));
}

// True when the current row of `a` sorts before that of `b` by (id, version, content hash,
// parent hash).
bool RowLess(const Stmt& a, const Stmt& b) {
  const std::string ia = a.Text(0), ib = b.Text(0);
  if (ia != ib) return ia < ib;
  if (a.Int(1) != b.Int(1)) return a.Int(1) < b.Int(1);
  if (a.Blob(2) != b.Blob(2)) return a.Blob(2) < b.Blob(2);
  return a.Blob(3) < b.Blob(3);
}

}  // namespace

namespace {

// The checkpoint an earlier export embedded is the log as it stood just before its "export"
// entry. Adds to `t` a proof from each of the latest kMaxBundleLogProofs of them to `note`.
Status AddProofsFromEarlierExports(internal::Db& db, const std::string& note,
                                   const std::string& verifier_key, v1::BundleTrailer* t) {
  TVAULT_ASSIGN_OR_RETURN(Checkpoint now, VerifyCheckpointNote(note, verifier_key));
  TVAULT_ASSIGN_OR_RETURN(
      internal::Stmt st,
      db.Prepare("SELECT size FROM (SELECT DISTINCT seq - 1 AS size FROM audit_log WHERE action "
                 "= 'export' ORDER BY seq DESC LIMIT ?) ORDER BY size"));
  st.Bind(1, static_cast<int64_t>(internal::kMaxBundleLogProofs));
  std::vector<uint64_t> sizes;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    sizes.push_back(static_cast<uint64_t>(st.Int(0)));
  }
  TVAULT_ASSIGN_OR_RETURN(std::vector<ConsistencyProofData> proofs,
                          internal::ProveAuditLogSizes(db, sizes, now.size));
  for (const ConsistencyProofData& p : proofs) internal::ProofToProto(p, t->add_log_proofs());
  return Status::Ok();
}

}  // namespace

Result<BundleExportResult> Store::ExportBundle(const std::string& path, const OrgPublicKey& to,
                                               const SignerSecretKey& signer,
                                               const BundleExportOptions& options) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  if (internal::PathExists(path)) {
    return Status(Code::kAlreadyExists, path + ": already exists, refusing to overwrite");
  }
  std::string tmp = path + ".tmp.XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return internal::ErrnoStatus(path, errno);
  ::close(fd);
  BundleExportResult result;
  Status s = impl_->Mutate([&](internal::LogWriter& log) -> Status {
    internal::Db& db = impl_->db;
    const int64_t all = options.all ? 1 : 0;
    for (const char* sql : {kMainSql, kSideSql}) {
      TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare(std::string("SELECT count(*), "
                                                              "coalesce(sum(x.tombstone), 0) "
                                                              "FROM (") + sql + ") x"));
      st.Bind(1, all);
      TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
      if (row) {
        result.record_versions += static_cast<uint64_t>(st.Int(0));
        result.tombstones += static_cast<uint64_t>(st.Int(1));
      }
    }
    TVAULT_ASSIGN_OR_RETURN(std::string note, internal::LatestCheckpointNote(db));
    TVAULT_ASSIGN_OR_RETURN(std::vector<internal::ExportedAttachment> attachments,
                            internal::SelectAttachmentsForExport(
                                db, options.all, options.max_attachment_bytes,
                                &result.attachments_left));
    result.attachments = attachments.size();
    for (const internal::ExportedAttachment& a : attachments) {
      if (a.content) result.attachment_bytes += a.sealed_size;
    }

    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return IoError(tmp + ": cannot write");
    TVAULT_ASSIGN_OR_RETURN(std::unique_ptr<internal::AgeWriter> age,
                            internal::AgeWriter::Create(to, &out));
    PayloadWriter payload(age.get());
    v1::BundleMessage msg;
    v1::BundleHeader* h = msg.mutable_header();
    h->set_format_version(kBundleFormatVersion);
    h->set_store_id(impl_->store_id);
    h->set_monitor_id(impl_->monitor_id);
    const std::string created = internal::Rfc3339(internal::NowSeconds());
    h->set_created_at(created);
    h->set_record_versions(result.record_versions);
    h->set_tombstones(result.tombstones);
    h->set_full(options.all);
    h->set_recipient(std::string(reinterpret_cast<const char*>(to.bytes().data()), to.bytes().size()));
    h->set_attachments(result.attachments);
    h->set_attachment_bytes(result.attachment_bytes);
    TVAULT_RETURN_IF_ERROR(payload.Write(msg));

    // Merge the two ordered streams by (id, version, content hash, parent hash).
    TVAULT_ASSIGN_OR_RETURN(Stmt main, db.Prepare(kMainSql));
    TVAULT_ASSIGN_OR_RETURN(Stmt side, db.Prepare(kSideSql));
    main.Bind(1, all);
    side.Bind(1, all);
    TVAULT_ASSIGN_OR_RETURN(bool have_main, main.Step());
    TVAULT_ASSIGN_OR_RETURN(bool have_side, side.Step());
    uint64_t written = 0;
    std::set<std::string> facility_ids;
    while (have_main || have_side) {
      const bool take_main = have_main && (!have_side || RowLess(main, side));
      Stmt& st = take_main ? main : side;
      msg.Clear();
      FillRecord(st, msg.mutable_record());
      if (msg.record().kind() == v1::FACILITY && !msg.record().tombstone()) {
        v1::Testimony t;
        if (!t.ParseFromString(msg.record().body())) {
          return Damaged(std::string(internal::kDamagedMessage) + " (record " + msg.record().id() +
                         ")");
        }
        facility_ids.insert(t.facility().facility_id());
      }
      TVAULT_RETURN_IF_ERROR(payload.Write(msg));
      ++written;
      if (take_main) {
        TVAULT_ASSIGN_OR_RETURN(have_main, main.Step());
      } else {
        TVAULT_ASSIGN_OR_RETURN(have_side, side.Step());
      }
    }
    if (written != result.record_versions) return Internal("export: record count changed");
    // The attachments, by id, each with the rows of its age file: one row in memory.
    TVAULT_RETURN_IF_ERROR(internal::WriteAttachments(
        db, attachments, [&](const v1::BundleMessage& m) { return payload.Write(m); }));

    msg.Clear();
    v1::BundleTrailer* t = msg.mutable_trailer();
    t->set_checkpoint_note(note);
    TVAULT_RETURN_IF_ERROR(AddProofsFromEarlierExports(db, note, LogVerifierKey(), t));
    t->set_log_verifier_key(LogVerifierKey());
    t->set_record_count(written);
    t->set_attachment_count(result.attachments);
    // The registry entries the facility testimonies refer to (ListFacilities is in id order).
    TVAULT_ASSIGN_OR_RETURN(std::vector<v1::Facility> registry, ListFacilities());
    for (const v1::Facility& f : registry) {
      if (facility_ids.count(f.id())) *t->add_facilities() = f;
    }
    TVAULT_RETURN_IF_ERROR(payload.Write(msg));

    const uint64_t payload_bytes = payload.bytes();
    const std::string payload_sha = payload.Sha256();
    TVAULT_ASSIGN_OR_RETURN(
        std::string sig,
        signer.SignPrehashed(payload.Prehash(),
                             std::string(internal::kBundleTrustedCommentPrefix) + " store " +
                                 impl_->store_id + " to " + to.Fingerprint() + " records " +
                                 std::to_string(written) +
                                 " created " + created));
    if (sig.size() > internal::kBundleMaxSignatureBytes) return Internal("signature too long");
    TVAULT_RETURN_IF_ERROR(age->Write(sig));
    TVAULT_RETURN_IF_ERROR(age->Write(internal::BundleFooter(payload_bytes, sig.size())));
    TVAULT_RETURN_IF_ERROR(age->Finish());
    out.close();
    if (!out) return IoError(tmp + ": write failed");
    int sfd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (sfd < 0 || ::fsync(sfd) != 0) {
      int err = errno;
      if (sfd >= 0) ::close(sfd);
      return internal::ErrnoStatus(tmp, err);
    }
    result.bytes = static_cast<uint64_t>(::lseek(sfd, 0, SEEK_END));
    ::close(sfd);

    TVAULT_RETURN_IF_ERROR(db.Exec(kMarkExportedSql));
    TVAULT_RETURN_IF_ERROR(internal::MarkAttachmentsExported(db, attachments));
    TVAULT_RETURN_IF_ERROR(log.Append(impl_->Actor(), "export", "", 0, payload_sha));
    // The bundle appears whole, never over another file, also on a FAT USB stick.
    TVAULT_RETURN_IF_ERROR(internal::MoveIntoPlaceExclusive(tmp, path));
    return internal::SyncDir(internal::DirName(path));
  });
  ::unlink(tmp.c_str());
  if (!s.ok()) {
    return s;
  }
  return result;
}

}  // namespace tvault
