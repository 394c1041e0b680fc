-- The baseline of bundle import: the same record rows (bench/flatten.cc, versions.csv) loaded
-- by `sqlite3 .import` into a plaintext table keyed like the store's, with its month index.
-- One transaction (.import makes one), WAL as the store uses.
PRAGMA journal_mode = WAL;
CREATE TABLE versions(id TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT, kind INT,
                      incident_month TEXT, country TEXT, pushed_from TEXT, pushed_to TEXT,
                      facility_id TEXT, people INT, body BLOB, PRIMARY KEY(id, version));
CREATE INDEX versions_by_month ON versions(incident_month, kind);
.import --csv versions.csv versions
