// Search latency (scripts/bench.sh, scenario 7; docs/performance.md): Store::Search on an
// encrypted tvault store against plain SQLite FTS4 over the same narratives, in the same run.
//
//   tvault_bench_search STORE_DIR TESTIMONIES_JSONL WORK_DIR [REPS]   (store passphrase on fd 3)
//
// STORE_DIR holds the testimonies of TESTIMONIES_JSONL (bench.sh's central store, after the
// bundle import). The baseline is a new, unencrypted database in WORK_DIR, made with the same
// SQLite (SQLCipher 3.4.1 without a key is SQLite 3.15.2: a binary cannot link libsqlite3 and
// libsqlcipher together, and this keeps FTS4 and the tokenizer identical):
//
//   fts   FTS4(narrative), tokenize=unicode61 "remove_diacritics=1", the raw narratives
//   docs  docid INTEGER PRIMARY KEY and the columns of a search result (RecordInfo)
//
// Each query runs REPS times (default 20), the three forms interleaved; the figure is the
// median CPU time of one run:
//   tvault     Store::Search (parse and fold the query, FTS4 MATCH, join to the record
//              summaries, order by month, build the results)
//   fts+join   the same query shape on the baseline: MATCH joined to docs, the same columns,
//              the same order
//   fts only   SELECT docid FROM fts WHERE fts MATCH ?
// Figures only: nothing here fails on timing.
#include <google/protobuf/util/json_util.h>
#include <sqlcipher/sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "tvault/search.h"
#include "tvault/store.h"

namespace {

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "tvault_bench_search: " << what << "\n";
  std::exit(1);
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    Die("baseline: " + std::string(err ? err : "?"));
  }
}

// Builds the baseline database from the testimonies; returns how many.
size_t BuildBaseline(sqlite3* db, const std::string& jsonl) {
  Exec(db, "PRAGMA journal_mode = WAL; PRAGMA page_size = 4096;"
           "CREATE VIRTUAL TABLE fts USING fts4(narrative, "
           "tokenize=unicode61 \"remove_diacritics=1\");"
           "CREATE TABLE docs(docid INTEGER PRIMARY KEY, id TEXT, latest_version INTEGER, "
           "kind INTEGER, month TEXT, country TEXT, pushed_from TEXT, pushed_to TEXT, "
           "facility_id TEXT, people INTEGER, created_at TEXT, updated_at TEXT);"
           "BEGIN");
  sqlite3_stmt* fts = nullptr;
  sqlite3_stmt* docs = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO fts(docid, narrative) VALUES(?, ?)", -1, &fts, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO docs VALUES(?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                     "'2026-12-02T12:00:00Z', '2026-12-02T12:00:00Z')",
                     -1, &docs, nullptr);
  std::ifstream in(jsonl);
  if (!in) Die("cannot read " + jsonl);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    tvault::v1::Testimony t;
    if (!google::protobuf::util::JsonStringToMessage(line, &t).ok()) Die("bad JSON line");
    ++n;
    const std::string month = t.has_pushback() ? t.pushback().incident_date().substr(0, 7)
                                               : t.facility().period_start().substr(0, 7);
    char id[33];
    std::snprintf(id, sizeof(id), "%032zx", n);
    sqlite3_bind_int64(fts, 1, static_cast<int64_t>(n));
    sqlite3_bind_text(fts, 2, t.narrative().data(), static_cast<int>(t.narrative().size()),
                      SQLITE_TRANSIENT);
    if (sqlite3_step(fts) != SQLITE_DONE) Die("baseline insert");
    sqlite3_reset(fts);
    const tvault::v1::Pushback& p = t.pushback();
    auto text = [&](int i, const std::string& v) {
      sqlite3_bind_text(docs, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    };
    sqlite3_bind_int64(docs, 1, static_cast<int64_t>(n));
    sqlite3_bind_text(docs, 2, id, 32, SQLITE_TRANSIENT);
    sqlite3_bind_int64(docs, 3, t.kind());
    text(4, month);
    text(5, p.location().country());
    text(6, p.pushed_from());
    text(7, p.pushed_to());
    text(8, t.facility().facility_id());
    sqlite3_bind_int64(docs, 9, t.has_pushback() ? p.group_size()
                                                 : t.facility().people_held_reported());
    if (sqlite3_step(docs) != SQLITE_DONE) Die("baseline insert");
    sqlite3_reset(docs);
  }
  sqlite3_finalize(fts);
  sqlite3_finalize(docs);
  Exec(db, "COMMIT");
  return n;
}

// Runs `sql` with ?1 = `match` to the end; returns the rows.
size_t RunBaseline(sqlite3* db, sqlite3_stmt* st, const std::string& match) {
  sqlite3_bind_text(st, 1, match.data(), static_cast<int>(match.size()), SQLITE_TRANSIENT);
  size_t rows = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    ++rows;
    // Read the columns, as Store::Search does.
    for (int c = 0; c < sqlite3_column_count(st); ++c) sqlite3_column_text(st, c);
  }
  if (rc != SQLITE_DONE) Die(std::string("baseline query: ") + sqlite3_errmsg(db));
  sqlite3_reset(st);
  return rows;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: tvault_bench_search STORE_DIR TESTIMONIES_JSONL WORK_DIR [REPS]\n";
    return 2;
  }
  const std::string store_dir = argv[1], jsonl = argv[2], work = argv[3];
  const int reps = argc > 4 ? std::max(1, std::atoi(argv[4])) : 20;
  if (!tvault::InitCrypto().ok()) Die("libsodium");
  std::string pass;
  {
    char c;
    while (read(3, &c, 1) == 1 && c != '\n') pass.push_back(c);
  }
  auto opened = tvault::Store::Open(store_dir, tvault::SecretBytes::CopyOf(pass.data(),
                                                                           pass.size()));
  if (!opened.ok()) Die("open " + store_dir + ": " + opened.status().message());
  std::unique_ptr<tvault::Store> store = std::move(opened).value();

  const std::string base_path = work + "/search-baseline.db";
  std::remove(base_path.c_str());
  std::remove((base_path + "-wal").c_str());
  std::remove((base_path + "-shm").c_str());
  sqlite3* db = nullptr;
  if (sqlite3_open(base_path.c_str(), &db) != SQLITE_OK) Die("cannot create " + base_path);
  const double build_start = CpuSeconds();
  const size_t n = BuildBaseline(db, jsonl);
  std::printf("baseline: %zu narratives indexed in %.2f CPU s (%s)\n", n,
              CpuSeconds() - build_start, base_path.c_str());
  sqlite3_stmt* joined = nullptr;
  sqlite3_stmt* only = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT d.id, d.latest_version, d.kind, d.month, d.country, "
                     "d.pushed_from, d.pushed_to, d.facility_id, d.people, d.created_at, "
                     "d.updated_at FROM fts JOIN docs d ON d.docid = fts.docid "
                     "WHERE fts MATCH ?1 ORDER BY d.month, d.created_at, d.id",
                     -1, &joined, nullptr);
  sqlite3_prepare_v2(db, "SELECT docid FROM fts WHERE fts MATCH ?1", -1, &only, nullptr);

  struct Query {
    const char* label;
    const char* text;
  };
  // From rare to very common in the demo narratives (docs/demo-data.md).
  const Query kQueries[] = {
      {"place with accents", "Lisičja"},
      {"two words", "swollen ribs"},
      {"phrase", "\"blue uniforms\""},
      {"prefix", "camou*"},
      {"common word", "border"},
  };
  std::printf("%-20s %-18s %8s %8s %12s %12s %12s %9s %9s\n", "query", "text", "hits",
              "fts hits", "tvault ms", "fts+join ms", "fts only ms", "vs join", "vs fts");
  for (const Query& q : kQueries) {
    tvault::SearchQuery sq;
    sq.text = q.text;
    const std::string match = *tvault::SearchMatchExpression(q.text);
    std::vector<double> ours, join, fts;
    size_t hits = 0, base_hits = 0;
    for (int r = 0; r <= reps; ++r) {  // run 0 warms the caches and is not counted
      double t0 = CpuSeconds();
      auto found = store->Search(sq);
      double t1 = CpuSeconds();
      if (!found.ok()) Die("search: " + found.status().message());
      hits = found->size();
      base_hits = RunBaseline(db, joined, match);
      double t2 = CpuSeconds();
      RunBaseline(db, only, match);
      double t3 = CpuSeconds();
      if (r == 0) continue;
      ours.push_back((t1 - t0) * 1e3);
      join.push_back((t2 - t1) * 1e3);
      fts.push_back((t3 - t2) * 1e3);
    }
    const double o = Median(ours), j = Median(join), f = Median(fts);
    std::printf("%-20s %-18s %8zu %8zu %12.3f %12.3f %12.3f %8.2fx %8.2fx\n", q.label, q.text,
                hits, base_hits, o, j, f, j > 0 ? o / j : 0.0, f > 0 ? o / f : 0.0);
  }
  // Words with filters: no baseline (the plain database has no violence or nationality).
  tvault::SearchQuery filtered;
  filtered.text = "border";
  filtered.pushed_from = "HR";
  filtered.nationalities = {"AF"};
  filtered.violence = {tvault::v1::BEATING};
  std::vector<double> times;
  size_t hits = 0;
  for (int r = 0; r <= reps; ++r) {
    double t0 = CpuSeconds();
    auto found = store->Search(filtered);
    if (!found.ok()) Die("search: " + found.status().message());
    hits = found->size();
    if (r > 0) times.push_back((CpuSeconds() - t0) * 1e3);
  }
  std::printf("%-20s %-18s %8zu %8s %12.3f\n", "words + 3 filters",
              "border HR AF beat.", hits, "-", Median(times));
  sqlite3_finalize(joined);
  sqlite3_finalize(only);
  sqlite3_close(db);
  return 0;
}
