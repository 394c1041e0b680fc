// The encrypted store: a directory holding a SQLCipher database and a key file.
//
//   <dir>/store.key  the 32-byte data key, wrapped under Argon2id(passphrase)
//   <dir>/store.db   SQLCipher 3 database keyed with the raw data key (plus -wal, -shm)
//
// Every change runs in one transaction and appends to the audit log in the same transaction,
// so a failure or a crash leaves the store as it was. Formats: docs/formats.md.
#ifndef TVAULT_STORE_H_
#define TVAULT_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tvault/attachments.h"
#include "tvault/audit.h"
#include "tvault/bundle.h"
#include "tvault/drafts.h"
#include "tvault/keys.h"
#include "tvault/schema.h"
#include "tvault/search.h"
#include "tvault/secret.h"
#include "tvault/signing.h"
#include "tvault/status.h"
#include "tvault/v1/ledger.pb.h"

namespace tvault {

constexpr char kStoreDbFile[] = "store.db";
constexpr char kStoreKeyFile[] = "store.key";

// How Store::Open opens the database. kRead is for commands that only read (list, show,
// search, log verify): on read-only media (a write-protected USB stick, a read-only mount)
// the store is opened as an immutable read-only database instead of failing; elsewhere it is
// opened as kReadWrite is.
enum class OpenMode { kReadWrite, kRead };

struct CreateOptions {
  KdfParams kdf = KdfParams::Moderate();
  std::string monitor_id;  // default monitor_id and audit-log actor for this device; may be empty
};

// The queryable summary of a record's latest version.
struct RecordInfo {
  std::string id;
  uint32_t version = 0;
  v1::Kind kind = v1::KIND_UNSPECIFIED;
  std::string incident_month;   // YYYY-MM (pushback incident date or facility period start)
  std::string country;          // incident country, or the facility's country
  std::string pushed_from;      // pushbacks only
  std::string pushed_to;        // pushbacks only
  std::string facility_id;      // facility testimonies only
  uint32_t people = 0;          // group size, or people held as reported
  std::string created_at;       // RFC 3339 UTC, first version
  std::string updated_at;       // RFC 3339 UTC, latest version
  bool deleted = false;         // the latest version is a tombstone
  std::string delete_reason;
};

// One stored version of a record. The testimony never holds a plaintext identity: only
// sealed_identity, which this store cannot open.
struct RecordVersion {
  RecordInfo info;              // summary of this version (version = this one)
  v1::Testimony testimony;      // empty for a tombstone
};

struct ListFilter {
  std::optional<v1::Kind> kind;
  std::optional<std::string> month;  // YYYY-MM
  bool include_deleted = false;
};

// One entry of the audit log. Never holds identity, narrative or passphrase.
struct AuditEntry {
  uint64_t seq = 0;
  std::string time;         // RFC 3339 UTC
  std::string actor;
  std::string action;       // docs/formats.md, "Audit log": add, edit, delete, reveal, ...
  std::string record_id;
  uint32_t record_version = 0;
  std::string content_hash; // hex SHA-256 of the stored bytes of the version, or empty
};

// A record's latest version as the report pipeline reads it: of `version.info`, only id,
// version, kind and incident_month are set, and `version.testimony` holds only what the
// tables count (its report view: docs/formats.md, "report_facts"; no identity, narrative,
// dates or places). `person` stands for the pseudonym of the person who testified without
// being it: 0 when the record has no identity to count on, otherwise a number that is equal
// for two records of the same incident month in one scan exactly when their pseudonyms are
// equal (numbers are not comparable across months). Pseudonyms themselves never leave the
// store.
struct ScannedRecord {
  RecordVersion version;
  uint64_t person = 0;
};

// A record as a release of the publication ledger counted it (docs/methodology.md, section 5):
// the report view of the version counted, and whether its people were counted (false when
// the same person had already been counted in that release and incident month).
struct CountedRecord {
  std::string id;
  uint32_t version = 0;
  std::string series;           // YYYY of the release that counted it
  std::string month;            // that release's month
  v1::Testimony view;           // pipeline::ReportView of the version counted
  bool people_counted = true;
};

// A checkpoint of another store's audit log, as it arrived in a bundle.
struct ReceivedCheckpoint {
  std::string origin;        // "tvault/store/<store id>"
  uint64_t size = 0;
  std::string note;          // the signed note as received
  std::string verifier_key;  // the key it verifies against
  std::string signer;        // minisign key id of the bundle that carried it (kept per signer)
  std::string received_at;   // RFC 3339 UTC
};

class Store {
 public:
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Creates a new store in `dir` (made if missing; must be empty if present).
  // REQUIRES: passphrase not empty.
  static Status Create(const std::string& dir, const SecretBytes& passphrase,
                       const OrgPublicKey& org, const CreateOptions& options);

  // Opens an existing store. kWrongPassphrase, kDamaged ("store is damaged or has been
  // altered"), kNotFound, kUnsupported (no SQLCipher codec) as appropriate. A failed open
  // writes nothing.
  // With OpenMode::kRead on read-only media, kIoError when the store was not closed cleanly
  // (its write-ahead log holds changes that only writable media can apply) or needs a newer
  // database version; every write to such a store fails with kIoError.
  static Result<std::unique_ptr<Store>> Open(const std::string& dir,
                                             const SecretBytes& passphrase,
                                             OpenMode mode = OpenMode::kReadWrite);

  // Rewraps the data key under a new passphrase: the key file is replaced atomically (write,
  // fsync, rename), so a crash leaves either the old or the new passphrase working. The
  // database is not re-encrypted. Without `kdf` the new wrapping keeps the current cost, so a
  // store made with a stronger profile is never silently weakened.
  static Status ChangePassphrase(const std::string& dir, const SecretBytes& old_passphrase,
                                 const SecretBytes& new_passphrase,
                                 const std::optional<KdfParams>& kdf = std::nullopt);

  // Crypto-erase: overwrites the key file (and any temporary key file a crashed passwd left)
  // with random bytes, syncs, and removes it. Without the wrapped data key the database is
  // unreadable by anyone. Then removes the database files. Refuses (kDamaged) when store.key is
  // not a tvault store key, so a mistyped path never destroys an unrelated file.
  static Status Wipe(const std::string& dir);

  // Validates, seals identities and adds every record in one transaction: all or nothing.
  // The error names the record (InputRecord::where) and field. Returns the new ids in order.
  Result<std::vector<std::string>> Add(std::vector<InputRecord> records);

  // Stores `replacement` as a new version of record `id` (validated like Add). When the
  // replacement carries no identity, the previous sealed identity is kept. Returns the new
  // version number. kNotFound for an unknown id; kInvalidArgument for a deleted record.
  Result<uint32_t> Edit(const std::string& id, InputRecord replacement);

  // Appends a tombstone version with the reason. REQUIRES: reason not empty.
  Status Delete(const std::string& id, const std::string& reason);

  // The latest version (version 0) or a given version of a record.
  Result<RecordVersion> Get(const std::string& id, uint32_t version = 0);
  // The version `token` names: "N" (as Get), or "N:HEX", a version number and a prefix of its
  // content hash as `tvault conflicts` prints it, on the agreed line or set aside (a
  // competing branch). kNotFound when none matches; kInvalidArgument when the token is
  // malformed or names several versions.
  Result<RecordVersion> GetVersion(const std::string& id, const std::string& token);
  // Every version of a record, oldest first.
  Result<std::vector<RecordVersion>> History(const std::string& id);
  Result<std::vector<RecordInfo>> List(const ListFilter& filter);
  // The live records whose latest version matches `query` (tvault/search.h), ordered as List
  // orders them; deleted records are never found. Reads the search index only, writes
  // nothing and logs nothing: the query is kept nowhere. kInvalidArgument when the query's
  // text is malformed (SearchMatchExpression names the problem) or nothing is asked.
  Result<std::vector<RecordInfo>> Search(const SearchQuery& query);

  // Reveal of an identity: opens the sealed identity of version `version` (0 = latest) of
  // record `id` with the organisation secret, for the rare case where the network must reach
  // the person again. The "reveal" audit entry (record id, version, content hash) commits
  // before the identity is returned, and nothing is returned if it cannot be logged.
  //   kInvalidArgument  `org` is not this store's organisation key; the version is a tombstone
  //   kNotFound         no such record or version, or the version holds no identity
  //   kDamaged          the sealed identity does not open
  Result<v1::Identity> RevealIdentity(const std::string& id, uint32_t version,
                                      const OrgSecretKey& org);

  // Logs, before the caller opens them, that every sealed identity of the store is about to be
  // opened with `org` for `purpose` (verify's search of a report for identities): one
  // "open-identities" entry, `record_id` the purpose, `content_hash` `hash` (32 bytes, e.g. the
  // SHA-256 of the report's manifest.json, or empty). Opening without it would bypass what
  // `reveal` guarantees; a caller that cannot log must not open.
  //   kInvalidArgument  `org` is not this store's organisation key
  Status LogOpenIdentities(const OrgSecretKey& org, const std::string& purpose,
                           const std::string& hash);

  // ---- Attachments (tvault/attachments.h) ----

  // Attaches the file at `path` to live record `id`: its media type is sniffed from its bytes
  // (the file name is never stored), its metadata stripped (docs/cli.md, "attach"; without
  // options.keep_metadata, a type that cannot be stripped is refused, kUnsupported), then it
  // is sealed to the organisation key as an age file streamed into the store, and an "attach"
  // entry (record id, attachment number, SHA-256 of the custody statement) is logged, all in
  // one transaction. kInvalidArgument for a bad kind or caption, a file larger than
  // options.max_bytes, a malformed image or PDF, a deleted record; kNotFound for no record.
  Result<AttachResult> Attach(const std::string& id, const std::string& path,
                              const AttachOptions& options);
  // The attachments of record `id`, detached ones included, by number.
  Result<std::vector<AttachmentInfo>> Attachments(const std::string& id);
  // Where an opened or exported attachment goes, piece by piece; an error stops the reading.
  using AttachmentSink = std::function<Status(std::string_view)>;
  // Opens attachment `number` of record `id` with the organisation secret and hands its
  // plaintext to `sink` as it is decrypted. The "open-attachment" audit entry commits first;
  // nothing is handed over if it cannot be logged. The bytes are checked against the stored
  // size and SHA-256 at the end: kDamaged then (after part of it reached `sink`) when they
  // differ or a chunk fails authentication. kInvalidArgument when `org` is not this store's.
  Result<AttachmentInfo> OpenAttachment(const std::string& id, uint32_t number,
                                        const OrgSecretKey& org, const AttachmentSink& sink);
  // Hands the stored age file of attachment `number` to `sink` (ciphertext: no secret needed,
  // and nothing logged); `age -d` with the organisation identity opens it.
  Result<AttachmentInfo> ExportSealedAttachment(const std::string& id, uint32_t number,
                                                const AttachmentSink& sink);
  // Marks attachment `number` detached (a tombstone with a reason; the sealed file is kept),
  // logged as "detach" with the SHA-256 of the reason. kInvalidArgument when already detached.
  Status Detach(const std::string& id, uint32_t number, const std::string& reason);

  // ---- Drafts (tvault/drafts.h) ----

  // Saves `draft`: a new one when draft.id is empty (the new id is returned), otherwise
  // replaces draft `draft.id` (kNotFound when there is none). A plaintext identity in
  // draft.testimony is sealed to the organisation key before anything is written, and the
  // plaintext wiped. kInvalidArgument when draft.kind is not PUSHBACK or FACILITY, or the
  // draft is larger than kMaxJsonRecordBytes.
  Result<std::string> SaveDraft(Draft draft);
  // Every draft, oldest first.
  Result<std::vector<Draft>> ListDrafts();
  // The draft whose id is `id` or starts with it. kNotFound when none does; kInvalidArgument
  // when the prefix is shorter than 4 digits or names several drafts.
  Result<Draft> GetDraft(const std::string& id);
  // Removes draft `id` (a full id). kNotFound when there is none.
  Status DiscardDraft(const std::string& id);
  // Stores `record` as the finished form of draft `id` and removes the draft, in one
  // transaction: as a new record (like Add) when the draft was a new testimony, otherwise as a
  // new version of draft.record_id (like Edit). When `record` carries no identity, the
  // identity sealed in the draft is kept (for an edit draft without one, the record's).
  // Errors as Add and Edit; on any error neither the draft nor the records change.
  Result<FinishedDraft> FinishDraft(const std::string& id, InputRecord record);

  // Facility registry. kAlreadyExists for a duplicate id.
  Status AddFacilities(const std::vector<v1::Facility>& facilities);
  Result<std::vector<v1::Facility>> ListFacilities();

  // The audit log (docs/formats.md, "Audit log"). Every change above appended entries in its
  // own transaction, and a checkpoint signed with this store's Ed25519 key.
  Result<std::vector<AuditEntry>> AuditLog();
  // ---- Bundles (tvault/bundle.h; docs/formats.md, "Bundle") ----

  // Writes every record version and tombstone not yet exported (all of them with
  // options.all), side versions included, and the attachments not yet exported (within
  // options.max_attachment_bytes), to a new bundle at `path`: encrypted to `to`,
  // signed by `signer`. Refuses (kAlreadyExists) when `path` exists. The file appears whole or
  // not at all, and only then are its versions recorded as exported (with an "export" audit
  // entry). Memory stays flat whatever the number of records.
  Result<BundleExportResult> ExportBundle(const std::string& path, const OrgPublicKey& to,
                                          const SignerSecretKey& signer,
                                          const BundleExportOptions& options);

  // Imports the bundle at `path`, decrypting it with `org`. The whole file is decrypted,
  // parsed and its signature checked against the trusted signers before the store is
  // written; then it is applied in one transaction with one "import" audit entry. A bundle
  // that adds nothing writes nothing. Rejections, with the store unchanged:
  //   kInvalidArgument  not encrypted to this organisation key; signed by an untrusted key;
  //   kDamaged          truncated, reordered or altered (the reason names what failed);
  //   kUnsupported      a newer bundle format.
  // Attachments (format 3) are checked against `limits` and their hashes while the bundle is
  // verified, and each new one is decrypted once more after it is written, to check the size
  // and SHA-256 of its plaintext, before anything commits (docs/formats.md, "Bundle").
  // Versions merge by the rule of docs/formats.md ("Merging versions"): deterministic and
  // independent of the order in which bundles are imported.
  Result<BundleImportResult> ImportBundle(const std::string& path, const OrgSecretKey& org,
                                          const BundleProgress& progress = nullptr,
                                          const BundleLimits& limits = BundleLimits());

  // Trust: the monitors whose bundles this store accepts. Each change is logged.
  // kAlreadyExists when the key or the name is already trusted, or when `log_key` is bound to
  // another signer. With `log_key` (the monitor's `tvault log key`: "tvault/store/<store id>+
  // <hash>+<key>"), the signer is bound to that store and key at once; without, to those of
  // the first bundle of it that is imported. A bundle from a store or with a log key other
  // than its signer's binding, or claiming a store bound to another signer, is refused.
  Status TrustSigner(const SignerPublicKey& key, const std::string& name,
                     const std::string& log_key = "");
  Result<std::vector<TrustedSigner>> TrustedSigners();
  // Removes the signer named `name_or_key_id` (a name, or the key id as minisign prints it).
  Status DistrustSigner(const std::string& name_or_key_id);

  // Records whose history forked and is not settled, by id.
  Result<std::vector<ConflictInfo>> Conflicts();
  // Settles the conflict of record `id` by keeping the branch holding the version `keep`
  // ("N", or "N:HEX" with a prefix of its content hash when N alone is ambiguous); the other
  // branches stay stored, set aside. Logged ("resolve"). kNotFound when `id` has no conflict
  // or no such version; kInvalidArgument when `keep` is ambiguous or malformed.
  Status Resolve(const std::string& id, const std::string& keep);

  // The audit-log checkpoints that arrived in imported bundles (kept by ImportBundle, which
  // refuses a bundle whose store shows another root at a size already received), ordered by
  // origin and size.
  Result<std::vector<ReceivedCheckpoint>> ReceivedCheckpoints();

  // The store's checkpoint verifier key, in the C2SP signed-note form.
  std::string LogVerifierKey() const;
  // The latest signed checkpoint note.
  Result<std::string> LatestCheckpoint();
  // Recomputes the tree from the entries and checks every stored checkpoint and each of
  // `external` (notes from bundles, reports or `log checkpoint`). Returns the problems found,
  // each naming an entry or checkpoint; empty when the log is intact.
  Result<std::vector<std::string>> VerifyLog(const std::vector<std::string>& external);
  // A consistency proof from an earlier checkpoint of this store to the current tree head, or
  // to the later checkpoint `new_checkpoint` when one is given (e.g. the one a later report
  // embeds). kDamaged when the log's entries do not match either checkpoint.
  Result<ConsistencyProofData> ProveLog(const std::string& old_checkpoint,
                                        const std::string& new_checkpoint = "");

  // Derives the keyed pseudonym (core/src/pipeline/pseudonymise.h) of every record's latest
  // version (tombstones aside: the versions a report counts) that has none yet, opening its
  // sealed identity in memory with the organisation secret, and stores them in one
  // transaction with one audit-log entry ("pseudonymise"). Each version meets the secret
  // once; later calls find nothing to do, without reading the other versions. Returns how many were
  // derived. kInvalidArgument when `org` is not this store's organisation key.
  //
  // The identities of each batch read are opened on `threads` worker threads, and written by
  // this one in order (0: all on this thread). The result, and the first error, are the same
  // for any number of threads.
  static constexpr int kDefaultPseudonymThreads = 2;
  Result<uint64_t> DerivePseudonyms(const OrgSecretKey& org,
                                    int threads = kDefaultPseudonymThreads);

  // Calls `fn` for the latest version of every record that is not deleted and whose
  // incident month is in [month_from, month_to] (YYYY-MM), ordered by incident month, then
  // id, as a ScannedRecord (read from the report_facts table, not from the stored bodies). kInternal when a selected version has no pseudonym yet (the caller must call
  // DerivePseudonyms first). Stops at, and returns, the first error of `fn`.
  Status ScanForReport(const std::string& month_from, const std::string& month_to,
                       const std::function<Status(ScannedRecord&&)>& fn);

  // The signed checkpoint of the log as it stood after the last entry that changed records,
  // facilities, keys or trust, i.e. ignoring "report", "pseudonymise", "export" and "reveal"
  // entries (none changes what a report counts), so that a report made twice from the same
  // data embeds the same checkpoint.
  Result<std::string> DataCheckpoint();

  // Consistency proofs from the checkpoint that each earlier report of this store embedded
  // (every report logged for a month before `month`) to DataCheckpoint(): one per distinct
  // smaller log size, smallest first. A report carries them so that an auditor who holds the
  // earlier reports can check offline that the log they saw is a prefix of this one.
  Result<std::vector<ConsistencyProofData>> ProofsFromEarlierReports(const std::string& month);

  // Appends a "report" entry for `month` whose content hash is the SHA-256 of the report's
  // manifest.json (which holds the SHA-256 of every other file of the report).
  Status LogReport(const std::string& month, const std::string& manifest);

  // The publication ledger (docs/formats.md, "Database schema, version 6"): every release
  // this store published, with the true counts and states of its cells and its files.
  //
  // Records `release` and the records it counted first, and appends its "report" entry
  // (record id = the release's month, or "<month> revision"; content hash = SHA-256 of its
  // manifest.json, which must be among release.files), all in one transaction.
  // kAlreadyExists when the series already holds a release of that month and kind, or a
  // record is already counted (release basis: a record is counted once).
  Status RecordRelease(const v1::LedgerRelease& release,
                       const std::vector<CountedRecord>& counted);
  // The releases of `series` (YYYY), in the order they were recorded; every series when
  // `series` is empty.
  Result<std::vector<v1::LedgerRelease>> Releases(const std::string& series);
  // Calls `fn` for every record counted by a release of `series` (every series when empty),
  // in id order. Stops at, and returns, the first error of `fn`.
  Status ScanCounted(const std::string& series,
                     const std::function<Status(CountedRecord&&)>& fn);
  // Whether record `id` was counted by any release of any series.
  Result<bool> IsCounted(const std::string& id);

  const OrgPublicKey& org_key() const;
  const std::string& store_id() const;
  const std::string& monitor_id() const;

  // Opaque; defined in core/src/store/.
  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tvault

#endif  // TVAULT_STORE_H_
