// Creating, opening, re-keying and erasing a store.
#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>

#include "crypto/envelope.h"
#include "store/migrations.h"
#include "store/store_impl.h"
#include "util/clock.h"
#include "tvault/schema.h"
#include "util/file.h"

namespace tvault {

using internal::Db;
using internal::Stmt;

namespace internal {

std::string StorePath(const std::string& dir, const char* file) { return dir + "/" + file; }

std::string Sha256(const std::string& bytes) {
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()),
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return out;
}

std::string NewRecordId() {
  std::string raw(16, '\0');
  randombytes_buf(raw.data(), raw.size());
  return ToHex(raw);
}

void ReadRecordSummary(const Stmt& st, RecordInfo* r) {
  r->id = st.Text(0);
  r->version = static_cast<uint32_t>(st.Int(1));
  r->kind = static_cast<v1::Kind>(st.Int(2));
  r->incident_month = st.Text(3);
  r->country = st.Text(4);
  r->pushed_from = st.Text(5);
  r->pushed_to = st.Text(6);
  r->facility_id = st.Text(7);
  r->people = static_cast<uint32_t>(st.Int(8));
}

}  // namespace internal

namespace {

constexpr size_t kMaxKeyFileBytes = internal::kEnvelopeSize + 1;

// True when `dir` is missing or an empty directory.
Result<bool> DirIsFreshOrEmpty(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    if (errno == ENOENT) return true;
    return internal::ErrnoStatus(dir, errno);
  }
  bool empty = true;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") empty = false;
  }
  ::closedir(d);
  return empty;
}

Status PutMeta(Db& db, const std::string& key, const std::string& value) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("INSERT INTO meta(key, value) VALUES(?, ?)"));
  return st.Bind(1, key).Bind(2, value).Run();
}

// Stores `secret` as lower-case hex under `key`. The hex is made in secure memory and bound
// without a copy (SQLITE_STATIC); SQLite's own page buffers are beyond reach.
Status PutSecretHexMeta(Db& db, const std::string& key, const SecretBytes& secret) {
  SecretBytes hex(secret.size() * 2 + 1);
  if (!hex.valid()) return Internal("cannot allocate secure memory");
  sodium_bin2hex(reinterpret_cast<char*>(hex.data()), hex.size(), secret.data(), secret.size());
  TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("INSERT INTO meta(key, value) VALUES(?, ?)"));
  return st.Bind(1, key).BindSecret(2, hex.view().substr(0, secret.size() * 2)).Run();
}

Result<std::string> GetMeta(Db& db, const std::string& key) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT value FROM meta WHERE key = ?"));
  st.Bind(1, key);
  TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Damaged(std::string(internal::kDamagedMessage) + " (no " + key + ")");
  return st.Text(0);
}

// Reads store.key and unwraps the data key.
Result<SecretBytes> UnwrapDataKey(const std::string& dir, const SecretBytes& passphrase) {
  const std::string key_path = internal::StorePath(dir, kStoreKeyFile);
  auto bytes = internal::ReadFile(key_path, kMaxKeyFileBytes);
  if (!bytes.ok()) {
    if (bytes.status().code() == Code::kNotFound) {
      return NotFound("no tvault store at " + dir + " (missing " + kStoreKeyFile +
                      "; a wiped store has none)");
    }
    if (bytes.status().code() == Code::kInvalidArgument) {
      return Damaged(key_path + " is damaged or has been altered (wrong size)");
    }
    return bytes.status();
  }
  return internal::OpenEnvelope(internal::kStoreKeyMagic, *bytes, passphrase, key_path);
}

// True when `dir` is on a file system mounted read-only.
bool OnReadOnlyMedia(const std::string& dir) {
  struct statvfs fs;
  return ::statvfs(dir.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0;
}

// An immutable open reads store.db alone. A WAL that still holds committed changes (the store
// was not closed cleanly, or was copied while open) would be ignored, so it is refused.
Status CheckReadableOnReadOnlyMedia(const std::string& dir) {
  struct stat st;
  const std::string wal = internal::StorePath(dir, kStoreDbFile) + std::string("-wal");
  if (::stat(wal.c_str(), &st) == 0 && st.st_size > 0) {
    return IoError(dir + " is on read-only media and was not closed cleanly (" + wal +
                   " holds changes); copy the folder to writable media to read it");
  }
  return Status::Ok();
}

// On read-only media a store cannot be brought up to this build's database version.
Status RequireCurrentVersion(Db& db) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("PRAGMA user_version"));
  TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
  const int have = row ? static_cast<int>(st.Int(0)) : 0;
  if (have > internal::CurrentDbVersion()) TVAULT_RETURN_IF_ERROR(internal::Migrate(db));
  if (have < internal::CurrentDbVersion()) {
    return IoError("the store is on read-only media and needs an upgrade to database version " +
                   std::to_string(internal::CurrentDbVersion()) +
                   "; open it once on writable media");
  }
  return Status::Ok();
}

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

const OrgPublicKey& Store::org_key() const { return impl_->org; }
const std::string& Store::store_id() const { return impl_->store_id; }
const std::string& Store::monitor_id() const { return impl_->monitor_id; }

Status Store::Create(const std::string& dir, const SecretBytes& passphrase,
                     const OrgPublicKey& org, const CreateOptions& options) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  if (passphrase.size() == 0) return InvalidArgument("the passphrase is empty");
  // Every record inherits the code as its monitor_id, which the schema limits; a legal name
  // ("Amina Yusufzai") must never become one. The value is not echoed: it may be a name.
  if (!IsValidMonitorId(options.monitor_id)) {
    return InvalidArgument("--monitor: must be a code name of at most 64 characters of A-Z, "
                           "a-z, 0-9, '.', '_' and '-' (never a person's name)");
  }
  if (org.IsLowOrder()) {
    return InvalidArgument("the organisation key " + org.Fingerprint() +
                           " is a low-order X25519 key (such as all zeros): identities sealed "
                           "to it would be lost");
  }
  TVAULT_ASSIGN_OR_RETURN(bool fresh, DirIsFreshOrEmpty(dir));
  if (!fresh) {
    return Status(Code::kAlreadyExists,
                  dir + " exists and is not empty; choose a new directory for the store");
  }
  bool made_dir = false;
  if (::mkdir(dir.c_str(), 0700) == 0) {
    made_dir = true;
  } else if (errno != EEXIST) {
    return internal::ErrnoStatus(dir, errno);
  }

  SecretBytes dek(32);
  if (!dek.valid()) return Internal("cannot allocate secure memory");
  randombytes_buf(dek.data(), dek.size());

  const std::string db_path = internal::StorePath(dir, kStoreDbFile);
  const std::string key_path = internal::StorePath(dir, kStoreKeyFile);
  auto cleanup = [&]() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      ::unlink((db_path + suffix).c_str());
    }
    ::unlink(key_path.c_str());
    if (made_dir) ::rmdir(dir.c_str());
  };

  Status s = [&]() -> Status {
    TVAULT_ASSIGN_OR_RETURN(std::string wrapped,
                            internal::SealEnvelope(internal::kStoreKeyMagic, dek, passphrase,
                                                   options.kdf));
    {
      Impl impl;
      impl.monitor_id = options.monitor_id;
      std::string store_id(16, '\0');
      randombytes_buf(store_id.data(), store_id.size());
      impl.store_id = internal::ToHex(store_id);
      SecretBytes seed(internal::kCheckpointSeedSize);
      randombytes_buf(seed.data(), seed.size());
      impl.SetLogKey(std::move(seed));
      Db& db = impl.db;
      TVAULT_RETURN_IF_ERROR(db.Open(db_path, dek, /*create=*/true));
      TVAULT_RETURN_IF_ERROR(db.Exec("PRAGMA journal_mode = WAL"));
      TVAULT_RETURN_IF_ERROR(internal::Migrate(db));
      TVAULT_RETURN_IF_ERROR(impl.Mutate([&](internal::LogWriter& log) -> Status {
        TVAULT_RETURN_IF_ERROR(PutMeta(db, "store_id", impl.store_id));
        TVAULT_RETURN_IF_ERROR(PutMeta(db, "org_recipient", org.ToAgeRecipient()));
        TVAULT_RETURN_IF_ERROR(PutMeta(db, "monitor_id", options.monitor_id));
        TVAULT_RETURN_IF_ERROR(PutSecretHexMeta(db, "log_key", impl.log_seed));
        TVAULT_RETURN_IF_ERROR(
            PutMeta(db, "created_at", internal::Rfc3339(internal::NowSeconds())));
        return log.Append(impl.Actor(), "init", "", 0, "");
      }));
    }
    // The key file last: until it exists the directory is not a store, so a crash midway
    // leaves nothing that looks usable.
    return internal::WriteFileAtomic(key_path, wrapped, 0600, /*exclusive=*/true);
  }();
  if (!s.ok()) cleanup();
  return s;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir,
                                           const SecretBytes& passphrase, OpenMode mode) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  TVAULT_ASSIGN_OR_RETURN(SecretBytes dek, UnwrapDataKey(dir, passphrase));
  const std::string db_path = internal::StorePath(dir, kStoreDbFile);
  if (!internal::PathExists(db_path)) {
    return Damaged(std::string(internal::kDamagedMessage) + " (" + db_path + " is missing)");
  }
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  const bool read_only_media = OnReadOnlyMedia(dir);
  if (read_only_media && mode == OpenMode::kReadWrite) {
    return IoError(dir + " is on read-only media: this command writes to the store (list, "
                         "show, search and log verify can read it there)");
  }
  const bool immutable = read_only_media;
  if (immutable) TVAULT_RETURN_IF_ERROR(CheckReadableOnReadOnlyMedia(dir));
  TVAULT_RETURN_IF_ERROR(impl->db.Open(db_path, dek, /*create=*/false, immutable));
  if (immutable) {
    TVAULT_RETURN_IF_ERROR(RequireCurrentVersion(impl->db));
  } else {
    TVAULT_RETURN_IF_ERROR(internal::Migrate(impl->db));
  }
  TVAULT_ASSIGN_OR_RETURN(impl->store_id, GetMeta(impl->db, "store_id"));
  TVAULT_ASSIGN_OR_RETURN(impl->monitor_id, GetMeta(impl->db, "monitor_id"));
  TVAULT_ASSIGN_OR_RETURN(std::string recipient, GetMeta(impl->db, "org_recipient"));
  {
    // The checkpoint key's seed goes from SQLite's column buffer straight into secure memory:
    // no std::string holds its hex (issue 19, item 8).
    TVAULT_ASSIGN_OR_RETURN(Stmt st,
                            impl->db.Prepare("SELECT value FROM meta WHERE key = 'log_key'"));
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    SecretBytes seed(internal::kCheckpointSeedSize);
    const std::string_view hex = row ? st.TextView(0) : std::string_view();
    size_t len = 0;
    const int rc = sodium_hex2bin(seed.data(), seed.size(), hex.data(), hex.size(), nullptr,
                                  &len, nullptr);
    if (!row || rc != 0 || len != internal::kCheckpointSeedSize) {
      return Damaged(std::string(internal::kDamagedMessage) + " (audit-log key)");
    }
    impl->SetLogKey(std::move(seed));
  }
  auto org = OrgPublicKey::FromAgeRecipient(recipient);
  if (!org.ok()) return Damaged(std::string(internal::kDamagedMessage) + " (organisation key)");
  impl->org = *org;
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Status Store::ChangePassphrase(const std::string& dir, const SecretBytes& old_passphrase,
                               const SecretBytes& new_passphrase,
                               const std::optional<KdfParams>& kdf_choice) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  if (new_passphrase.size() == 0) return InvalidArgument("the new passphrase is empty");
  // One lock across the check of the old passphrase, the log entry and the new key file (and
  // the same one wipe takes): a second passwd waits, then finds that the old passphrase no
  // longer opens the store, instead of both succeeding and one new passphrase being lost.
  auto lock = internal::DirLock::Acquire(dir);
  if (!lock.ok()) {
    if (lock.status().code() == Code::kNotFound) {
      return NotFound("no tvault store at " + dir + " (a wiped store has none)");
    }
    return lock.status();
  }
  const std::string key_path = internal::StorePath(dir, kStoreKeyFile);
  // Open the whole store first: re-keying a store whose database is damaged would only hide it.
  TVAULT_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Open(dir, old_passphrase));
  TVAULT_ASSIGN_OR_RETURN(std::string current, internal::ReadFile(key_path, kMaxKeyFileBytes));
  TVAULT_ASSIGN_OR_RETURN(SecretBytes dek,
                          internal::OpenEnvelope(internal::kStoreKeyMagic, current,
                                                 old_passphrase, key_path));
  KdfParams kdf;
  if (kdf_choice) {
    kdf = *kdf_choice;
  } else {
    TVAULT_ASSIGN_OR_RETURN(kdf, internal::EnvelopeKdf(current));
  }
  TVAULT_ASSIGN_OR_RETURN(std::string wrapped,
                          internal::SealEnvelope(internal::kStoreKeyMagic, dek, new_passphrase,
                                                 kdf));
  // Never write a key into a store that is no longer there or whose key another program
  // replaced meanwhile (an older tvault that takes no lock): refuse rather than revive it.
  auto again = internal::ReadFile(key_path, kMaxKeyFileBytes);
  if (!again.ok() && again.status().code() == Code::kNotFound) {
    return NotFound("no tvault store at " + dir + " any more (it was wiped meanwhile); " +
                    "no key was written");
  }
  TVAULT_RETURN_IF_ERROR(again.status());
  if (*again != current) {
    return IoError(key_path + " was replaced by another command meanwhile; " +
                                      "the passphrase was not changed");
  }
  // Logged before the key file is replaced: a crash between the two leaves an entry for a
  // change that did not happen, never a change without an entry.
  TVAULT_RETURN_IF_ERROR(store->impl_->Mutate([&](internal::LogWriter& log) {
    return log.Append(store->impl_->Actor(), "passphrase-change", "", 0, "");
  }));
  return internal::WriteFileAtomic(key_path, wrapped, 0600, /*exclusive=*/false);
}

Result<std::vector<AuditEntry>> Store::AuditLog() {
  return internal::ReadAuditEntries(impl_->db);
}

Result<std::vector<ReceivedCheckpoint>> Store::ReceivedCheckpoints() {
  TVAULT_ASSIGN_OR_RETURN(
      internal::Stmt st,
      impl_->db.Prepare("SELECT origin, size, note, verifier_key, signer, received_at FROM "
                        "received_checkpoints ORDER BY origin, size"));
  std::vector<ReceivedCheckpoint> out;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Text(0), static_cast<uint64_t>(st.Int(1)), st.Text(2), st.Text(3),
                   st.Text(4), st.Text(5)});
  }
  return out;
}

std::string Store::LogVerifierKey() const {
  return internal::VerifierKeyFor(impl_->Origin(), impl_->log_seed);
}

Result<std::string> Store::LatestCheckpoint() {
  return internal::LatestCheckpointNote(impl_->db);
}

Result<std::vector<std::string>> Store::VerifyLog(const std::vector<std::string>& external) {
  return internal::VerifyAuditLog(impl_->db, LogVerifierKey(), external);
}

Result<ConsistencyProofData> Store::ProveLog(const std::string& old_checkpoint,
                                             const std::string& new_checkpoint) {
  return internal::ProveAuditLog(impl_->db, LogVerifierKey(), old_checkpoint, new_checkpoint);
}

}  // namespace tvault
