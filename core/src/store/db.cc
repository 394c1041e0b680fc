#include "store/db.h"

#include <sodium.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <cstdio>

namespace tvault::internal {

namespace {

// True when the file system holding the database has (almost) no room left: SQLite reports a
// full disk as SQLITE_FULL only for some writes; growing the WAL index or syncing says
// SQLITE_IOERR ("disk I/O error"), and SQLite 3.15 has no sqlite3_system_errno to tell.
bool DiskIsFull(sqlite3* db) {
  const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  if (file == nullptr || *file == '\0') return false;
  struct statvfs fs;
  if (::statvfs(file, &fs) != 0) return false;
  // Root may use the reserved blocks, others may not.
  const uint64_t free_blocks = ::geteuid() == 0 ? fs.f_bfree : fs.f_bavail;
  return free_blocks * fs.f_frsize < (uint64_t{1} << 20);
}

// True when this process may not grow files without bound (`ulimit -f`): a write past the
// limit fails with EFBIG, which SQLite reports as SQLITE_IOERR.
bool FileSizeLimited() {
  struct rlimit lim;
  return ::getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY;
}

}  // namespace

Status SqliteStatus(sqlite3* db, int rc, const std::string& what) {
  int primary = rc & 0xff;
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (primary) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return Status::Ok();
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return Damaged(kDamagedMessage);
    case SQLITE_FULL:
      return IoError(what + ": the disk is full");
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return IoError(what + ": cannot write the store (" + detail + ")");
    case SQLITE_IOERR:
      if (DiskIsFull(db)) return IoError(what + ": the disk is full");
      if (FileSizeLimited()) {
        return IoError(what + ": input/output error (" + detail +
                       "; this process has a file size limit, `ulimit -f`, which a write may "
                       "have exceeded)");
      }
      return IoError(what + ": input/output error (" + detail + ")");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return IoError(what + ": the store is in use by another tvault process");
    case SQLITE_CONSTRAINT:
      return Status(Code::kAlreadyExists, what + ": " + detail);
    default:
      return Internal(what + ": " + detail);
  }
}

Stmt::~Stmt() {
  if (s_ == nullptr) return;
  if (cache_ != nullptr) {
    cache_->Release(s_);
  } else {
    sqlite3_finalize(s_);
  }
}

Stmt& Stmt::Bind(int i, std::string_view text) {
  sqlite3_bind_text(s_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindSecret(int i, std::string_view text) {
  sqlite3_bind_text(s_, i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  return *this;
}
Stmt& Stmt::BindBlob(int i, std::string_view bytes) {
  sqlite3_bind_blob(s_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(db_, rc, "query");
}

Status Stmt::Run() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_DONE) return Status::Ok();
  if (rc == SQLITE_ROW) return Internal("statement returned rows");
  return SqliteStatus(db_, rc, "write");
}

std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(s_, col)))
           : std::string();
}

std::string_view Stmt::TextView(int col) const {
  const unsigned char* p = sqlite3_column_text(s_, col);
  return p ? std::string_view(reinterpret_cast<const char*>(p),
                              static_cast<size_t>(sqlite3_column_bytes(s_, col)))
           : std::string_view();
}

std::string Stmt::Blob(int col) const {
  const void* p = sqlite3_column_blob(s_, col);
  return p ? std::string(static_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(s_, col)))
           : std::string();
}

Db::~Db() {
  for (auto& [sql, list] : idle_) {
    for (sqlite3_stmt* s : list) sqlite3_finalize(s);
  }
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

void Db::Release(sqlite3_stmt* s) {
  // Reset releases the statement's read or write cursor; bound values (which may be record
  // bodies) are dropped too.
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if (idle_count_ >= kMaxCachedStatements) {
    sqlite3_finalize(s);
    return;
  }
  idle_[sqlite3_sql(s)].push_back(s);
  ++idle_count_;
}

namespace {

// `path` as an SQLite URI with `query` ("file:/a%20b/store.db?immutable=1").
std::string FileUri(const std::string& path, const char* query) {
  std::string uri = "file:";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_') {
      uri.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      uri += buf;
    }
  }
  return uri + "?" + query;
}

}  // namespace

Status Db::Open(const std::string& path, const SecretBytes& key, bool create, bool immutable) {
  if (key.size() != 32) return Internal("data key must be 32 bytes");
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  std::string name = path;
  if (immutable) {
    // Read-only media: no -shm or -journal can be made, so SQLite is told the file cannot
    // change (no locks, no WAL index). The caller makes sure no WAL holds changes.
    flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    name = FileUri(path, "immutable=1");
  }
  int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, path);
  sqlite3_busy_timeout(db_, 5000);

  // The raw-key form x'<64 hex>' makes SQLCipher use the bytes as the key directly, skipping
  // its own PBKDF2 (our Argon2id already stretched the passphrase). The hex lives in
  // sodium_malloc memory; SQLCipher keeps its own copy, which it wipes on close.
  SecretBytes raw(2 + 64 + 1 + 1);
  raw.data()[0] = 'x';
  raw.data()[1] = '\'';
  sodium_bin2hex(reinterpret_cast<char*>(raw.data()) + 2, 65, key.data(), key.size());
  raw.data()[66] = '\'';
  rc = sqlite3_key(db_, raw.data(), 67);
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "keying the store");

  // Unknown PRAGMAs are silently ignored by SQLite: a build without the codec would answer
  // nothing here and happily write plaintext. Refuse to go on.
  {
    TVAULT_ASSIGN_OR_RETURN(Stmt st, Prepare("PRAGMA cipher_version"));
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row || st.Text(0).empty()) {
      return Status(Code::kUnsupported,
                    "SQLCipher is not active in this build (PRAGMA cipher_version returned "
                    "nothing); refusing to open the store unencrypted");
    }
  }
  TVAULT_RETURN_IF_ERROR(Exec("PRAGMA cipher_page_size = " + std::to_string(kCipherPageSize)));
  // Temporary tables and sort spills stay in memory: no plaintext temp files.
  TVAULT_RETURN_IF_ERROR(Exec("PRAGMA temp_store = MEMORY"));
  // A 32 MiB page cache (SQLite's default is 2 MiB): decrypting a page costs more than reading
  // it, and a report or import touches the same pages from several statements. A fixed cap,
  // so memory does not grow with the store.
  TVAULT_RETURN_IF_ERROR(Exec("PRAGMA cache_size = -32768"));
  // The first read is where a wrong key or an altered first page shows.
  TVAULT_ASSIGN_OR_RETURN(Stmt probe, Prepare("SELECT count(*) FROM sqlite_master"));
  TVAULT_ASSIGN_OR_RETURN(bool ok, probe.Step());
  (void)ok;
  return Status::Ok();
}

Status Db::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  return SqliteStatus(db_, rc, "store");
}

Result<Stmt> Db::Prepare(const std::string& sql) {
  auto it = idle_.find(sql);
  if (it != idle_.end() && !it->second.empty()) {
    sqlite3_stmt* s = it->second.back();
    it->second.pop_back();
    --idle_count_;
    return Stmt(db_, s, this);
  }
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(s);
    return SqliteStatus(db_, rc, "store");
  }
  // A string of only comments or spaces compiles to no statement: nothing to keep.
  if (s == nullptr) return Stmt(db_, s);
  return Stmt(db_, s, this);
}

}  // namespace tvault::internal
