#include "store/migrations.h"

#include <string>
#include <vector>

#include "store/report_facts.h"
#include "store/search_index.h"

namespace tvault::internal {
namespace {

// One step of the schema: SQL, then, when a new table holds data derived from what is
// already stored, the code that fills it (run in the same transaction).
struct Migration {
  const char* sql;
  Status (*fill)(Db& db) = nullptr;
};

// Never edit a migration that has shipped: append a new one. SQL is for SQLite 3.15 (no
// UPSERT, RETURNING, window functions or STRICT tables).
const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      // 1: the first schema.
      {R"sql(
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE facilities(
  id         TEXT PRIMARY KEY,
  country    TEXT NOT NULL,
  body       BLOB NOT NULL,            -- serialized tvault.v1.Facility
  created_at TEXT NOT NULL
);
-- One row per record: the summary of its latest version, for listing and grouping.
CREATE TABLE records(
  id             TEXT PRIMARY KEY,     -- 32 hex digits
  kind           INTEGER NOT NULL,     -- tvault.v1.Kind
  latest_version INTEGER NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0,
  incident_month TEXT NOT NULL,        -- YYYY-MM
  country        TEXT NOT NULL,
  pushed_from    TEXT NOT NULL,
  pushed_to      TEXT NOT NULL,
  facility_id    TEXT NOT NULL,
  people         INTEGER NOT NULL
);
CREATE INDEX records_by_month ON records(incident_month, kind);
-- Every version ever stored; never updated or deleted.
CREATE TABLE record_versions(
  id           TEXT NOT NULL,
  version      INTEGER NOT NULL,
  created_at   TEXT NOT NULL,
  tombstone    INTEGER NOT NULL DEFAULT 0,
  reason       TEXT NOT NULL DEFAULT '',
  body         BLOB NOT NULL,          -- serialized tvault.v1.Testimony, identity sealed
  content_hash BLOB NOT NULL,          -- SHA-256 of body (of reason for a tombstone)
  PRIMARY KEY(id, version)
) WITHOUT ROWID;
-- Append-only. The leaf of entry n in the RFC 6962 tree is SHA-256(0x00 || its encoding),
-- see docs/formats.md; leaf_hash caches it and is re-checked by `log verify`.
CREATE TABLE audit_log(
  seq            INTEGER PRIMARY KEY,  -- 1, 2, 3, ... without gaps
  time           TEXT NOT NULL,
  actor          TEXT NOT NULL,
  action         TEXT NOT NULL,
  record_id      TEXT NOT NULL DEFAULT '',
  record_version INTEGER NOT NULL DEFAULT 0,
  content_hash   BLOB NOT NULL DEFAULT x'',
  leaf_hash      BLOB NOT NULL
);
-- One signed tree head per write transaction.
CREATE TABLE checkpoints(
  size       INTEGER PRIMARY KEY,
  root       BLOB NOT NULL,
  note       TEXT NOT NULL,
  created_at TEXT NOT NULL
);
)sql"},
      // 2: keyed pseudonyms. Derived once per record version, the first time the store meets
      // the organisation secret (bundle import or report), so that later reports never unseal
      // an identity again. record_versions stays append-only and is not altered.
      {R"sql(
CREATE TABLE pseudonyms(
  id         TEXT NOT NULL,
  version    INTEGER NOT NULL,
  person     BLOB NOT NULL,           -- 32-byte keyed BLAKE2b; empty when nothing identifies
  PRIMARY KEY(id, version)
) WITHOUT ROWID;
)sql"},
      // 3: bundles (docs/formats.md, "Bundle", and "Merging versions from bundles").
      {R"sql(
-- Monitors whose signed bundles this store accepts.
CREATE TABLE trusted_signers(
  key_id     TEXT PRIMARY KEY,        -- minisign key id, 16 hex digits in file byte order
  public_key BLOB NOT NULL,           -- 32-byte Ed25519 public key
  name       TEXT NOT NULL UNIQUE,
  added_at   TEXT NOT NULL
);
-- Record versions off the agreed line: the competing branches of a fork, versions whose
-- parent has not arrived yet, and the branches a resolution did not keep. A version keeps its
-- id, number and content hash when it moves between this table and record_versions.
CREATE TABLE side_versions(
  id           TEXT NOT NULL,
  version      INTEGER NOT NULL,
  content_hash BLOB NOT NULL,
  parent_hash  BLOB NOT NULL,         -- content hash of the version it was made from
  kind         INTEGER NOT NULL,
  created_at   TEXT NOT NULL,
  tombstone    INTEGER NOT NULL DEFAULT 0,
  reason       TEXT NOT NULL DEFAULT '',
  body         BLOB NOT NULL,
  PRIMARY KEY(id, version, content_hash)
) WITHOUT ROWID;
-- Records whose history forks without a resolution: version fork_version has several
-- candidates. Derived from the versions and resolutions; rewritten by every merge.
CREATE TABLE open_conflicts(
  id           TEXT PRIMARY KEY,
  fork_version INTEGER NOT NULL
);
-- `tvault resolve`: at the fork where version `version` competes, keep the candidate with
-- content hash kept_hash. `losing` counts the versions set aside when it was decided; more
-- of them later reopen the conflict.
CREATE TABLE resolutions(
  id         TEXT NOT NULL,
  version    INTEGER NOT NULL,
  kept_hash  BLOB NOT NULL,
  losing     INTEGER NOT NULL,
  resolved_at TEXT NOT NULL,
  PRIMARY KEY(id, version)
) WITHOUT ROWID;
-- Versions already written to a bundle by this store (export without --all skips them).
CREATE TABLE exported(
  id           TEXT NOT NULL,
  version      INTEGER NOT NULL,
  content_hash BLOB NOT NULL,
  PRIMARY KEY(id, version, content_hash)
) WITHOUT ROWID;
)sql"},
      // 4: the audit-log checkpoints that arrived in imported bundles, kept so that each
      // exporting store's later checkpoints are checked against them (a fork is refused) and
      // so that its device can later be checked with `log verify --checkpoint`.
      {R"sql(
CREATE TABLE received_checkpoints(
  origin       TEXT NOT NULL,         -- "tvault/store/<store id>" of the exporting store
  size         INTEGER NOT NULL,
  root         BLOB NOT NULL,
  note         TEXT NOT NULL,         -- the signed note as received
  verifier_key TEXT NOT NULL,
  signer       TEXT NOT NULL,         -- minisign key id of the bundle that carried it
  received_at  TEXT NOT NULL,
  PRIMARY KEY(origin, size)
) WITHOUT ROWID;
)sql"},
      // 5: what a report counts of each record's latest version, and its pseudonym, clustered
      // by incident month (store/report_facts.h), so that a report reads its months and
      // nothing else. Filled from the stored latest versions and pseudonyms; kept up to date
      // wherever the `records` row changes.
      {R"sql(
CREATE TABLE report_facts(
  incident_month TEXT NOT NULL,       -- YYYY-MM, as in records
  id             TEXT NOT NULL,
  version        INTEGER NOT NULL,    -- the record's latest version
  facts          BLOB NOT NULL,       -- serialized tvault.v1.Testimony: its ReportView
  person         BLOB,                -- its pseudonym (as in pseudonyms); NULL until derived
  PRIMARY KEY(incident_month, id)
) WITHOUT ROWID;
-- The latest versions still waiting for their pseudonym: what DerivePseudonyms reads, so a
-- report finds the few new versions without reading the others.
CREATE INDEX report_facts_pending ON report_facts(id) WHERE person IS NULL;
)sql",
       BackfillReportFacts},
      // 6: the publication ledger (docs/methodology.md, section 5). Every release this store
      // published, with the true counts and states of its cells and its files, and every
      // record a release counted: a record is counted once, in the first release after it
      // arrived, and what was counted is kept for the year's revision.
      {R"sql(
CREATE TABLE ledger_releases(
  seq      INTEGER PRIMARY KEY,       -- order of recording
  series   TEXT NOT NULL,             -- YYYY
  month    TEXT NOT NULL,             -- YYYY-MM
  kind     TEXT NOT NULL,             -- monthly | revision
  body     BLOB NOT NULL,             -- serialized tvault.v1.LedgerRelease
  UNIQUE(series, month, kind)
);
CREATE TABLE ledger_counted(
  id             TEXT PRIMARY KEY,    -- record id
  version        INTEGER NOT NULL,    -- the version counted
  release        INTEGER NOT NULL,    -- ledger_releases.seq
  series         TEXT NOT NULL,
  month          TEXT NOT NULL,
  facts          BLOB NOT NULL,       -- serialized tvault.v1.Testimony: its ReportView then
  people_counted INTEGER NOT NULL     -- 0 when its person was already counted in the release
) WITHOUT ROWID;
CREATE INDEX ledger_counted_by_series ON ledger_counted(series, id);
)sql"},
      // 7: the search index (store/search_index.h; docs/schema.md, "Search index"). The free
      // text of every live record's latest version, folded, in an FTS4 table (FTS5 is not in
      // SQLite 3.15), and beside it a copy of the record's `records` row with the multi-valued
      // fields the search filters on, so that a search reads one row per hit. Filled from the
      // stored latest versions; kept up to date wherever the `records` row changes.
      {R"sql(
CREATE TABLE search_docs(
  docid          INTEGER PRIMARY KEY,   -- the record's row in search_text
  id             TEXT NOT NULL UNIQUE,  -- record id; the columns up to people copy its records row
  kind           INTEGER NOT NULL,
  latest_version INTEGER NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  incident_month TEXT NOT NULL,
  country        TEXT NOT NULL,
  pushed_from    TEXT NOT NULL,
  pushed_to      TEXT NOT NULL,
  facility_id    TEXT NOT NULL,
  people         INTEGER NOT NULL,
  violence       TEXT NOT NULL,         -- ' BEATING THEFT ': tvault.v1.ViolenceType names
  nationality    TEXT NOT NULL          -- ' AF PK ': the group's nationalities, ISO 3166 codes
);
CREATE VIRTUAL TABLE search_text USING fts4(narrative, details, captions,
                                            tokenize=unicode61 "remove_diacritics=1");
)sql",
       BackfillSearchIndex},
      // 8: drafts (tvault/drafts.h): guided interviews stopped before they were saved. Kept
      // apart from records, so that nothing that lists, counts, exports or logs records can
      // meet one.
      {R"sql(
CREATE TABLE drafts(
  id         TEXT PRIMARY KEY,        -- 32 hex digits
  kind       INTEGER NOT NULL,        -- tvault.v1.Kind
  record_id  TEXT NOT NULL DEFAULT '',-- the record being edited; '' for a new testimony
  step       INTEGER NOT NULL,        -- the question the interview stopped at
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  body       BLOB NOT NULL            -- serialized tvault.v1.Testimony, identity sealed
);
)sql"},
      // 9: trust bound to stores and keys, and honest history (issue 19; docs/formats.md,
      // "Database schema, version 9"). A record version is identified with its parent, so a
      // copy naming another parent is another version, never a re-parented one; a trusted
      // signer is bound to one exporting store and its audit-log key; received checkpoints are
      // kept per signer; and the signer that brought each version is recorded.
      {R"sql(
CREATE TABLE side_versions_9(
  id           TEXT NOT NULL,
  version      INTEGER NOT NULL,
  content_hash BLOB NOT NULL,
  parent_hash  BLOB NOT NULL,         -- content hash of the version it was made from
  kind         INTEGER NOT NULL,
  created_at   TEXT NOT NULL,
  tombstone    INTEGER NOT NULL DEFAULT 0,
  reason       TEXT NOT NULL DEFAULT '',
  body         BLOB NOT NULL,
  PRIMARY KEY(id, version, content_hash, parent_hash)
) WITHOUT ROWID;
INSERT INTO side_versions_9 SELECT id, version, content_hash, parent_hash, kind, created_at,
  tombstone, reason, body FROM side_versions;
DROP TABLE side_versions;
ALTER TABLE side_versions_9 RENAME TO side_versions;
CREATE TABLE exported_9(
  id           TEXT NOT NULL,
  version      INTEGER NOT NULL,
  content_hash BLOB NOT NULL,
  parent_hash  BLOB NOT NULL,
  PRIMARY KEY(id, version, content_hash, parent_hash)
) WITHOUT ROWID;
INSERT OR IGNORE INTO exported_9 SELECT e.id, e.version, e.content_hash,
  COALESCE((SELECT p.content_hash FROM record_versions p WHERE p.id = e.id AND
            p.version = e.version - 1), x'')
  FROM exported e JOIN record_versions v ON v.id = e.id AND v.version = e.version AND
  v.content_hash = e.content_hash;
INSERT OR IGNORE INTO exported_9 SELECT e.id, e.version, e.content_hash, s.parent_hash
  FROM exported e JOIN side_versions s ON s.id = e.id AND s.version = e.version AND
  s.content_hash = e.content_hash;
DROP TABLE exported;
ALTER TABLE exported_9 RENAME TO exported;
-- The exporting store and its audit-log verifier key a trusted signer is bound to: set by
-- `trust add --store --log-key`, or by its first imported bundle; NULL until then.
ALTER TABLE trusted_signers ADD COLUMN store_id TEXT;
ALTER TABLE trusted_signers ADD COLUMN log_key TEXT;
ALTER TABLE trusted_signers ADD COLUMN bound_at TEXT;
-- Entries made before version 9 are bound by their next imported bundle.
CREATE UNIQUE INDEX trusted_signers_store ON trusted_signers(store_id)
  WHERE store_id IS NOT NULL;
CREATE UNIQUE INDEX trusted_signers_log_key ON trusted_signers(log_key)
  WHERE log_key IS NOT NULL;
CREATE TABLE received_checkpoints_9(
  signer       TEXT NOT NULL,         -- minisign key id of the bundle that carried it
  origin       TEXT NOT NULL,         -- "tvault/store/<store id>" of the exporting store
  size         INTEGER NOT NULL,
  root         BLOB NOT NULL,
  note         TEXT NOT NULL,         -- the signed note as received
  verifier_key TEXT NOT NULL,
  received_at  TEXT NOT NULL,
  PRIMARY KEY(signer, origin, size)
) WITHOUT ROWID;
INSERT INTO received_checkpoints_9 SELECT signer, origin, size, root, note, verifier_key,
  received_at FROM received_checkpoints;
DROP TABLE received_checkpoints;
ALTER TABLE received_checkpoints_9 RENAME TO received_checkpoints;
-- Which trusted signer's bundle first brought each version into this store (none for the
-- versions made here, or imported before version 9).
CREATE TABLE version_sources(
  id           TEXT NOT NULL,
  version      INTEGER NOT NULL,
  content_hash BLOB NOT NULL,
  parent_hash  BLOB NOT NULL,
  signer       TEXT NOT NULL,         -- minisign key id, 16 hex digits
  received_at  TEXT NOT NULL,
  PRIMARY KEY(id, version, content_hash, parent_hash)
) WITHOUT ROWID;
)sql"},
      // 10: attachments (docs/formats.md, "Database schema, version 10"). Each is an age file
      // encrypted to the organisation key, stored in rows of at most 1 MiB.
      {R"sql(
CREATE TABLE attachments(
  id             TEXT PRIMARY KEY,     -- 32 hex digits, random
  record_id      TEXT NOT NULL,        -- the testimony it belongs to
  number         INTEGER NOT NULL,     -- 1, 2, ... within the record, in this store
  kind           TEXT NOT NULL,        -- photo, medical, audio, document, other
  media_type     TEXT NOT NULL,        -- sniffed from the bytes, e.g. image/jpeg
  caption        TEXT NOT NULL DEFAULT '',
  stripped       INTEGER NOT NULL,     -- 1: metadata removed before sealing
  received_size  INTEGER NOT NULL,
  received_hash  BLOB NOT NULL,        -- SHA-256 of the file as received
  stored_size    INTEGER NOT NULL,
  stored_hash    BLOB NOT NULL,        -- SHA-256 of the file as sealed (after stripping)
  sealed_size    INTEGER NOT NULL,
  sealed_hash    BLOB NOT NULL,        -- SHA-256 of the age file (the chunks, in order)
  chunks         INTEGER NOT NULL,
  added_at       TEXT NOT NULL,
  custody        TEXT NOT NULL,        -- the chain-of-custody statement the audit log hashes
  detached       INTEGER NOT NULL DEFAULT 0,
  detach_reason  TEXT NOT NULL DEFAULT '',
  detached_at    TEXT NOT NULL DEFAULT '',
  UNIQUE(record_id, number)
);
CREATE TABLE attachment_chunks(
  attachment_id  TEXT NOT NULL,
  seq            INTEGER NOT NULL,     -- 0, 1, ...
  data           BLOB NOT NULL,        -- kAttachmentChunkBytes of the age file (the last: less)
  PRIMARY KEY(attachment_id, seq)
);
-- Which attachment states a bundle already carried: (id, detached).
CREATE TABLE exported_attachments(
  id       TEXT NOT NULL,
  detached INTEGER NOT NULL,
  PRIMARY KEY(id, detached)
) WITHOUT ROWID;
)sql"},
  };
  return kMigrations;
}

}  // namespace

int CurrentDbVersion() { return static_cast<int>(Migrations().size()); }

Status Migrate(Db& db) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare("PRAGMA user_version"));
  TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
  int have = row ? static_cast<int>(st.Int(0)) : 0;
  // A statement still stepping would make DROP TABLE (migration 9) fail as "locked".
  st.Reset();
  if (have > CurrentDbVersion()) {
    return Status(Code::kUnsupported, "the store was made by a newer tvault (database version " +
                                          std::to_string(have) + ", this build knows " +
                                          std::to_string(CurrentDbVersion()) + ")");
  }
  for (int v = have; v < CurrentDbVersion(); ++v) {
    TVAULT_RETURN_IF_ERROR(db.Begin());
    const Migration& m = Migrations()[static_cast<size_t>(v)];
    Status s = db.Exec(m.sql);
    if (s.ok() && m.fill != nullptr) s = m.fill(db);
    if (s.ok()) s = db.Exec("PRAGMA user_version = " + std::to_string(v + 1));
    if (s.ok()) s = db.Commit();
    if (!s.ok()) {
      db.Rollback();
      return s.WithContext("migrating the store to version " + std::to_string(v + 1));
    }
  }
  return Status::Ok();
}

}  // namespace tvault::internal
