// A thin RAII layer over one SQLCipher connection. Every SQLite error that means "the bytes on
// disk are not what we wrote" (NOTADB, CORRUPT) becomes kDamaged, so a store altered on disk
// is reported as such and never crashes us.
#ifndef TVAULT_STORE_DB_H_
#define TVAULT_STORE_DB_H_

#include <sqlcipher/sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tvault/secret.h"
#include "tvault/status.h"

namespace tvault::internal {

constexpr int kCipherPageSize = 4096;
constexpr char kDamagedMessage[] = "store is damaged or has been altered";

class Db;

// One prepared statement. A statement from Db::Prepare goes back to its connection's cache
// when destroyed (reset, bindings cleared), so that the next Prepare of the same SQL skips
// the compilation; REQUIRES: a Stmt does not outlive its Db.
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* s, Db* cache = nullptr) : db_(db), s_(s), cache_(cache) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_), cache_(o.cache_) { o.s_ = nullptr; }

  // Binds are 1-based, as in SQLite.
  Stmt& Bind(int i, std::string_view text);
  Stmt& BindBlob(int i, std::string_view bytes);
  // Binds a secret without copying it (SQLITE_STATIC). REQUIRES: `text` outlives this Stmt
  // (which resets and clears its bindings when destroyed).
  Stmt& BindSecret(int i, std::string_view text);
  Stmt& Bind(int i, int64_t v);
  Stmt& BindNull(int i);

  // Returns true while a row is available, false when done; a Status on error.
  Result<bool> Step();
  // Steps once and requires SQLITE_DONE.
  Status Run();
  void Reset() { sqlite3_reset(s_); sqlite3_clear_bindings(s_); }

  std::string Text(int col) const;
  // The column's text in SQLite's own buffer, without a copy: valid until the next Step or
  // the Stmt's end. For secrets that must not land in a std::string.
  std::string_view TextView(int col) const;
  std::string Blob(int col) const;
  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
  Db* cache_;  // where the statement returns when destroyed; null: finalized instead
};

class Db {
 public:
  Db() = default;
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Opens `path` keyed with the 32-byte raw `key` (SQLCipher raw-key form, no PBKDF2), sets
  // the page size, and refuses to continue unless SQLCipher's codec is really present
  // (`PRAGMA cipher_version` returns a row). With `create` the file may be made; otherwise it
  // must exist. Then reads the schema, which is where a wrong key or altered page 1 shows.
  // With `immutable` the file is opened read-only as an SQLite immutable database (for stores
  // on read-only media; every write then fails as "cannot write the store").
  Status Open(const std::string& path, const SecretBytes& key, bool create,
              bool immutable = false);

  Status Exec(const std::string& sql);
  // Prepares `sql`, reusing a compiled statement of the same text when the cache holds an
  // idle one (bulk writes prepare the same few statements once per record). The SQL text is
  // kept as the cache key, so it must never hold a secret: keys go through sqlite3_key.
  Result<Stmt> Prepare(const std::string& sql);

  // Transactions. BEGIN IMMEDIATE takes the write lock up front, so two writers fail fast
  // rather than deadlock.
  Status Begin() { return Exec("BEGIN IMMEDIATE"); }
  Status Commit() { return Exec("COMMIT"); }
  void Rollback() { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

  sqlite3* raw() { return db_; }

 private:
  friend class Stmt;
  // Takes back an idle statement (Stmt's destructor); finalizes it when the cache is full.
  void Release(sqlite3_stmt* s);

  // At most this many idle statements are kept; dynamic SQL beyond it is finalized.
  static constexpr size_t kMaxCachedStatements = 64;

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle_;
  size_t idle_count_ = 0;
};

// Turns a SQLite result code into a Status; `what` says what was being done.
Status SqliteStatus(sqlite3* db, int rc, const std::string& what);

}  // namespace tvault::internal

#endif  // TVAULT_STORE_DB_H_
