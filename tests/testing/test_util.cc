#include "testing/test_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "crypto/age.h"
#include "crypto/envelope.h"
#include "store/db.h"
#include "util/clock.h"
#include "tvault/store.h"
#include "pipeline/facts.h"

#ifndef TVAULT_BINARY
#define TVAULT_BINARY "tvault"  // only the CLI suite runs the binary; it defines the real path
#endif

namespace tvault::testing {
namespace {

void RemoveTree(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    ::chmod(path.c_str(), 0700);
    if (DIR* d = ::opendir(path.c_str())) {
      while (dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name != "." && name != "..") RemoveTree(path + "/" + name);
      }
      ::closedir(d);
    }
    ::rmdir(path.c_str());
  } else {
    ::unlink(path.c_str());
  }
}

std::string Base64(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/tvault-test-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() { RemoveTree(path_); }

KdfParams FastKdf() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

SecretBytes Pass(const std::string& s) { return SecretBytes::CopyOf(s.data(), s.size()); }

RunResult RunTvault(const std::vector<std::string>& args, const std::string& input,
                    const std::string& fd3, const std::vector<std::string>& env) {
  std::vector<std::string> argv = {TVAULT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv, input, fd3, env);
}

RunResult RunProgram(const std::vector<std::string>& argv_in, const std::string& input,
                     const std::string& fd3, const std::vector<std::string>& env) {
  TempDir io;
  const std::string in_path = io / "stdin", fd3_path = io / "fd3", out_path = io / "stdout",
                    err_path = io / "stderr";
  WriteFileOrDie(in_path, input);
  WriteFileOrDie(fd3_path, fd3);
  pid_t pid = ::fork();
  if (pid == 0) {
    int in = ::open(in_path.c_str(), O_RDONLY);
    int f3 = ::open(fd3_path.c_str(), O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::dup2(f3, 3);
    // No controlling terminal: a prompt for a passphrase must fail, never hang the test.
    ::setsid();
    for (const std::string& e : env) ::putenv(const_cast<char*>(e.c_str()));
    std::vector<std::string> copy = argv_in;
    std::vector<char*> argv;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFileOrDie(out_path);
  r.err = ReadFileOrDie(err_path);
  return r;
}

std::map<std::string, std::string> ReadTree(const std::string& dir) {
  std::map<std::string, std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      for (auto& [p, bytes] : ReadTree(path)) out[p] = std::move(bytes);
    } else if (S_ISREG(st.st_mode)) {
      out[path] = ReadFileOrDie(path);
    }
  }
  ::closedir(d);
  return out;
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFileOrDie(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << data;
}

std::vector<std::string> MarkerEncodings(const std::string& marker) {
  std::vector<std::string> out = {marker};
  std::string le, be;
  for (char c : marker) {
    le.push_back(c);
    le.push_back('\0');
    be.push_back('\0');
    be.push_back(c);
  }
  out.push_back(le);
  out.push_back(be);
  // In base64, a string's encoding depends on its offset modulo 3. Encode the marker at each
  // alignment and keep the inner characters that do not depend on its neighbours.
  for (int pad = 0; pad < 3; ++pad) {
    std::string b = Base64(std::string(static_cast<size_t>(pad), 'A') + marker);
    size_t skip = pad == 0 ? 0 : 4;  // the first quantum mixes in padding bytes
    std::string inner = b.substr(skip, ((b.size() - skip) / 4 - 1) * 4);
    if (inner.size() >= 8) out.push_back(inner);
  }
  return out;
}

std::string FindMarker(const std::string& bytes, const std::string& marker) {
  static const char* kNames[] = {"plain", "UTF-16LE", "UTF-16BE", "base64+0", "base64+1",
                                 "base64+2"};
  std::vector<std::string> encs = MarkerEncodings(marker);
  for (size_t i = 0; i < encs.size(); ++i) {
    if (bytes.find(encs[i]) != std::string::npos) return i < 6 ? kNames[i] : "base64";
  }
  return "";
}

tvault::v1::Testimony SamplePushback(const std::string& marker) {
  tvault::v1::Testimony t;
  t.set_kind(tvault::v1::PUSHBACK);
  t.set_interview_language("ps");
  t.set_interpreter_present(tvault::v1::YES);
  t.mutable_identity()->set_name(marker + "-name");
  t.mutable_identity()->set_phone(marker + "-phone");
  t.mutable_identity()->set_contact(marker + "-contact");
  t.set_narrative("We walked for two nights. " + marker + "-narrative. Then the police came.");
  tvault::v1::Pushback* p = t.mutable_pushback();
  p->set_incident_date("2026-10-14");
  p->set_date_precision(tvault::v1::DAY);
  p->set_time_of_day(tvault::v1::NIGHT);
  p->mutable_location()->set_country("HR");
  p->set_pushed_from("HR");
  p->set_pushed_to("BA");
  p->set_group_size(12);
  p->set_minors_involved(tvault::v1::YES);
  p->set_minors_count(3);
  p->set_women_involved(tvault::v1::NO);
  auto* n = p->add_nationalities();
  n->set_country("AF");
  n->set_count(8);
  n = p->add_nationalities();
  n->set_country("PK");
  n->set_count(4);
  p->add_violence(tvault::v1::BEATING);
  p->add_violence(tvault::v1::THEFT);
  p->set_asylum_intention_expressed(tvault::v1::YES);
  return t;
}

tvault::v1::Testimony SampleFacility(const std::string& facility_id, const std::string& marker) {
  tvault::v1::Testimony t;
  t.set_kind(tvault::v1::FACILITY);
  t.set_narrative("The room had no heating. " + marker + "-narrative.");
  t.mutable_identity()->set_name(marker + "-name");
  tvault::v1::FacilityConditions* f = t.mutable_facility();
  f->set_facility_id(facility_id);
  f->set_stay_kind(tvault::v1::STAY);
  f->set_period_start("2026-09-02");
  f->set_period_end("2026-09-20");
  f->set_people_held_reported(140);
  auto* c = f->add_conditions();
  c->set_condition(tvault::v1::OVERCROWDING);
  c->set_severity(tvault::v1::SEVERE);
  return t;
}

tvault::v1::Facility SampleFacilityEntry(const std::string& id) {
  tvault::v1::Facility f;
  f.set_id(id);
  f.set_name("Northbrook Holding Centre (fictional)");
  f.set_country("HR");
  f.set_type(tvault::v1::DETENTION);
  return f;
}

std::string AgeDecrypt(const OrgSecretKey& org, const std::string& bytes) {
  std::istringstream in(bytes);
  auto reader = internal::AgeReader::Open(org, &in);
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  std::string out;
  if (!reader.ok()) return out;
  char buf[4096];
  for (;;) {
    auto n = (*reader)->Read(buf, sizeof buf);
    EXPECT_TRUE(n.ok()) << n.status().message();
    if (!n.ok() || *n == 0) return out;
    out.append(buf, *n);
  }
}

namespace {

// Opens the database of the closed store at `dir` (a test failure when it does not open).
bool OpenStoreDb(const std::string& dir, const SecretBytes& passphrase, internal::Db* db) {
  auto dek = internal::OpenEnvelope(internal::kStoreKeyMagic,
                                    ReadFileOrDie(dir + "/" + kStoreKeyFile), passphrase,
                                    kStoreKeyFile);
  EXPECT_TRUE(dek.ok()) << dek.status().message();
  if (!dek.ok()) return false;
  Status s = db->Open(dir + "/" + kStoreDbFile, *dek, false);
  EXPECT_TRUE(s.ok()) << s.message();
  return s.ok();
}

}  // namespace

void ExecOnStoreOrDie(const std::string& dir, const SecretBytes& passphrase,
                      const std::string& sql) {
  internal::Db db;
  if (!OpenStoreDb(dir, passphrase, &db)) return;
  Status s = db.Exec(sql);
  EXPECT_TRUE(s.ok()) << s.message();
}

const char kUndoMigration10Sql[] =
    "DROP TABLE attachments; DROP TABLE attachment_chunks; DROP TABLE exported_attachments; ";

const char kUndoMigration9Sql[] =
    "DROP TABLE version_sources; DROP INDEX trusted_signers_store; "
    "DROP INDEX trusted_signers_log_key; CREATE TABLE ts8(key_id TEXT PRIMARY KEY, "
    "public_key BLOB NOT NULL, name TEXT NOT NULL UNIQUE, added_at TEXT NOT NULL); "
    "INSERT INTO ts8 SELECT key_id, public_key, name, added_at FROM trusted_signers; "
    "DROP TABLE trusted_signers; ALTER TABLE ts8 RENAME TO trusted_signers; ";

std::string DumpStoreTables(const std::string& dir, const SecretBytes& passphrase,
                            const std::vector<std::string>& tables) {
  internal::Db db;
  if (!OpenStoreDb(dir, passphrase, &db)) return "";
  std::ostringstream out;
  for (const std::string& table : tables) {
    sqlite3_stmt* st = nullptr;
    const std::string count_sql = "SELECT * FROM " + table + " LIMIT 0";
    EXPECT_EQ(sqlite3_prepare_v2(db.raw(), count_sql.c_str(), -1, &st, nullptr), SQLITE_OK);
    const int columns = sqlite3_column_count(st);
    sqlite3_finalize(st);
    std::string order;
    for (int c = 1; c <= columns; ++c) order += (c > 1 ? ", " : "") + std::to_string(c);
    const std::string sql = "SELECT * FROM " + table + " ORDER BY " + order;
    EXPECT_EQ(sqlite3_prepare_v2(db.raw(), sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    out << "table " << table << "\n";
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(st, c) == SQLITE_INTEGER) {
          out << sqlite3_column_int64(st, c);
        } else if (sqlite3_column_type(st, c) == SQLITE_NULL) {
          out << "NULL";
        } else if (sqlite3_column_type(st, c) == SQLITE_TEXT) {
          out << reinterpret_cast<const char*>(sqlite3_column_text(st, c));
        } else {
          const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(st, c));
          const int n = sqlite3_column_bytes(st, c);
          out << "x" << internal::ToHex(std::string(reinterpret_cast<const char*>(p), n));
        }
        out << (c + 1 < columns ? " " : "\n");
      }
    }
    sqlite3_finalize(st);
  }
  return out.str();
}

std::string RunSqlcipher(const std::string& dir, const std::string& passphrase,
                         const std::string& sql) {
  std::string wrapped = ReadFileOrDie(dir + "/" + kStoreKeyFile);
  auto dek = internal::OpenEnvelope(internal::kStoreKeyMagic, wrapped, Pass(passphrase), "k");
  if (!dek.ok()) {
    ADD_FAILURE() << dek.status().message();
    return "";
  }
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, dek->data(), 32);
  const std::string script = dir + "/../sqlcipher-script.sql";
  WriteFileOrDie(script, std::string("PRAGMA key = \"x'") + hex +
                             "'\";\nPRAGMA cipher_page_size = 4096;\n" + sql + "\n");
  sodium_memzero(hex, sizeof hex);
  const std::string cmd = "sqlcipher " + dir + "/store.db < " + script + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  if (p == nullptr) {
    ADD_FAILURE() << "cannot run sqlcipher";
  } else {
    char buf[256];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  std::remove(script.c_str());
  return out;
}

void ExpectReportFactsMatchBodies(Store& store, const OrgSecretKey& org) {
  ASSERT_TRUE(store.DerivePseudonyms(org).ok());
  auto list = store.List(ListFilter());
  ASSERT_TRUE(list.ok()) << list.status().message();
  std::vector<std::string> want;
  for (const RecordInfo& r : *list) {
    auto latest = store.Get(r.id);
    ASSERT_TRUE(latest.ok()) << latest.status().message();
    want.push_back(r.incident_month + " " + r.id + " v" + std::to_string(r.version) + " " +
                   pipeline::ReportView(latest->testimony).SerializeAsString());
  }
  std::sort(want.begin(), want.end());
  std::vector<std::string> got;
  Status s = store.ScanForReport("0000-01", "9999-12", [&](ScannedRecord&& r) {
    got.push_back(r.version.info.incident_month + " " + r.version.info.id + " v" +
                  std::to_string(r.version.info.version) + " " +
                  r.version.testimony.SerializeAsString());
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(got, want);
}

}  // namespace tvault::testing
