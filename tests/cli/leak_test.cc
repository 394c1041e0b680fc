// The canary test: testimonies carry random markers in their narratives and identities; no
// file the binary leaves behind (store.db, its -wal and -shm, store.key, anything in $TMPDIR)
// may hold a marker in any encoding, after every command, and the identity never comes back
// out of `show`. Also: the binary links SQLCipher and not plain SQLite, and no passphrase can
// be given in argv.
#include <sodium.h>
#include <sys/stat.h>

#include <cstdio>
#include <regex>

#include "cli/cli_fixture.h"
#include "cli/fault_shim_env.h"

namespace tvault::testing {
namespace {

namespace v1 = ::tvault::v1;

// A random marker, unique to this run: 26 characters that occur nowhere by chance.
std::string NewMarker(const std::string& tag) {
  unsigned char raw[12];
  randombytes_buf(raw, sizeof raw);
  char hex[25];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return "Q" + tag + "x" + std::string(hex);
}

std::string Lines(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& line : lines) s += line + "\n";
  return s;
}

class LeakTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    ASSERT_EQ(sodium_init() >= 0, true);
    tmp_ = Path("tmp");
    ASSERT_EQ(::mkdir(tmp_.c_str(), 0700), 0);
  }

  // Runs against the store with TMPDIR pointing at a directory of our own, then scans.
  RunResult Run(const std::vector<std::string>& args, const std::string& input = "") {
    RunResult r = Tv(args, input, {"TMPDIR=" + tmp_});
    EXPECT_EQ(r.exit_code, kOk) << args[0] << ": " << Describe(r);
    Scan("after tvault " + args[0]);
    // Outputs may show narratives (the monitor reads them) but never an identity.
    for (const std::string& m : identity_markers_) {
      EXPECT_EQ(FindMarker(r.out + r.err, m), "") << "identity printed by " << args[0];
    }
    return r;
  }

  // Every file in the store directory and in TMPDIR, for every marker so far.
  void Scan(const std::string& when) {
    std::map<std::string, std::string> files = ReadTree(store());
    ASSERT_FALSE(files.empty());
    for (auto& [path, bytes] : ReadTree(tmp_)) files[path] = bytes;
    for (const auto& [path, bytes] : files) {
      for (const std::string& m : AllMarkers()) {
        EXPECT_EQ(FindMarker(bytes, m), "") << when << ": " << m << " found in " << path;
      }
    }
    ++scans_;
  }

  std::vector<std::string> AllMarkers() const {
    std::vector<std::string> all = identity_markers_;
    all.insert(all.end(), narrative_markers_.begin(), narrative_markers_.end());
    return all;
  }

  // A pushback with `id_marker` in every identity field and `nar_marker` in the narrative.
  v1::Testimony Marked(const std::string& id_marker, const std::string& nar_marker) {
    v1::Testimony t = SamplePushback(id_marker);
    t.set_narrative("They walked for two nights. " + nar_marker + " Then the police came.");
    identity_markers_.push_back(id_marker);
    narrative_markers_.push_back(nar_marker);
    return t;
  }

  std::string tmp_;
  std::vector<std::string> identity_markers_, narrative_markers_;
  int scans_ = 0;
};

TEST_F(LeakTest, NoMarkerReachesAnyFile) {
  // 1. A pushback and a facility testimony from JSON files.
  v1::Testimony a = Marked(NewMarker("idA"), NewMarker("narA"));
  const std::string file_a = WriteWork("a.json", ToJson(a));
  ASSERT_EQ(FindMarker(ReadFileOrDie(file_a), narrative_markers_[0]), "plain");  // control
  Run({"add", "--from", file_a});
  v1::Testimony b = SampleFacility("HR-DET-01", "");
  const std::string id_b = NewMarker("idB"), nar_b = NewMarker("narB");
  b.mutable_identity()->set_name(id_b + "-name");
  b.mutable_identity()->set_date_of_birth("1990-01-01");
  b.set_narrative(nar_b);
  identity_markers_.push_back(id_b);
  narrative_markers_.push_back(nar_b);
  Run({"add", "--from", WriteWork("b.json", "[" + ToJson(b) + "]")});

  // 2. A pushback by guided prompts.
  const std::string id_c = NewMarker("idC"), nar_c = NewMarker("narC");
  identity_markers_.push_back(id_c);
  narrative_markers_.push_back(nar_c);
  RunResult r = Run({"add", "pushback"},
                    Lines({"1", "2026-03-10", "night", "hr", "", "", "", "hr", "ba", "", "4", "n",
                           "n", "", "af:4", "1", "1", "", "", "y", "n", "n", "n", "ps", "y",
                           id_c + "-name", id_c + "-phone", id_c + "-contact", "", nar_c,
                           "second line", ".", ""}));
  ASSERT_TRUE(Contains(r.out, "added ")) << r.out;
  std::set<std::string> ids = Ids();
  ASSERT_EQ(ids.size(), 3u);

  // 3. Edits: a new narrative from JSON; a new identity and narrative by prompts.
  std::string id_a;
  for (const std::string& id : ids) {
    if (ShowJson(id).narrative() == a.narrative()) id_a = id;
  }
  ASSERT_FALSE(id_a.empty()) << "the JSON pushback was not found by its narrative";
  v1::Testimony edited = ShowJson(id_a);
  const std::string nar_a2 = NewMarker("narA2");
  narrative_markers_.push_back(nar_a2);
  edited.set_narrative("Corrected: " + nar_a2);
  Run({"edit", id_a, "--from", WriteWork("a2.json", ToJson(edited))});
  const std::string id_c_rec = r.out.substr(r.out.rfind("added ") + 6, 32);
  const std::string id_c2 = NewMarker("idC2"), nar_c2 = NewMarker("narC2");
  identity_markers_.push_back(id_c2);
  narrative_markers_.push_back(nar_c2);
  std::vector<std::string> answers(25, "");  // keep every pushback and interview answer
  answers.insert(answers.end(), {"y", id_c2 + " name", "", "", "", nar_c2, ".", ""});
  Run({"edit", id_c_rec}, Lines(answers));
  ASSERT_EQ(ShowJson(id_c_rec).narrative(), nar_c2) << "the prompt edit did not apply";

  // 4. Reading: list, show (human, JSON, history), the audit log.
  Run({"list"});
  Run({"list", "--json", "--deleted"});
  for (const std::string& id : ids) {
    Run({"show", id});
    Run({"show", id, "--json"});
    Run({"show", id, "--history"});
    Run({"show", id, "--history", "--json"});
  }
  r = Run({"show", id_a, "--version", "1"});
  // Control: the narrative marker does come out of show, so the scans can see markers.
  EXPECT_EQ(FindMarker(r.out, narrative_markers_[0]), "plain");
  EXPECT_TRUE(Contains(r.out, "identity: [sealed]")) << r.out;
  Run({"log", "show"});
  Run({"delete", id_a, "--reason", "test of tombstones"});
  Run({"passwd", "--new-passphrase-fd", "0", "--kdf", "interactive"}, kPassLine);

  EXPECT_TRUE(ReadTree(tmp_).empty()) << "tvault left files in TMPDIR";
  EXPECT_GE(scans_, 20);
}

TEST_F(LeakTest, WriteAheadLogOfAnInterruptedAddHoldsNoMarker) {
  // 300 marked testimonies; the add is killed (SIGKILL, by the LD_PRELOAD fault shim) when its
  // write-ahead log would grow past a size, leaving the -wal and -shm files as a crash would.
  // (A file size limit did this until tvault ignored SIGXFSZ, issue 19 item 20.)
  const std::string id_m = NewMarker("idW"), nar_m = NewMarker("narW");
  identity_markers_.push_back(id_m);
  narrative_markers_.push_back(nar_m);
  std::string jsonl;
  for (const std::string& line :
       SplitLines(RunTvault({"demo-data", "--count", "300", "--seed", "9"}).out)) {
    v1::Testimony t;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &t).ok());
    t.mutable_identity()->set_name(id_m + " " + t.identity().name());
    t.set_narrative(nar_m + " " + t.narrative());
    jsonl += ToJson(t) + "\n";
  }
  const std::string path = WriteWork("marked.jsonl", jsonl);
  const size_t db_size = ReadFileOrDie(store() + "/store.db").size();
  RunResult r = RunTvault({"add", "--from", path, "--store", store(), "--passphrase-fd", "3"},
                          "", kPassLine,
                          ShimEnv({"TVAULT_SHIM_KILL_PAST=store.db-wal:" +
                                   std::to_string(db_size + 200 * 1024)}));
  EXPECT_GE(r.exit_code, 128) << "expected the add to be killed: " << Describe(r);
  std::map<std::string, std::string> files = ReadTree(store());
  ASSERT_TRUE(files.count(store() + "/store.db-wal")) << "no WAL left to inspect";
  EXPECT_GT(files[store() + "/store.db-wal"].size(), 100u * 1024);
  Scan("after an interrupted add");

  // And once more after a complete add of the same file.
  RunResult ok = Tv({"add", "--from", path}, "", {"TMPDIR=" + tmp_});
  ASSERT_EQ(ok.exit_code, kOk) << Describe(ok);
  Scan("after a complete add of 300");
  EXPECT_EQ(ListJson().size(), 300u);
}

TEST(LeakBinaryTest, LinksSqlcipherAndNotPlainSqlite) {
  FILE* p = ::popen(("ldd '" + std::string(TVAULT_BINARY) + "' 2>&1").c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ASSERT_EQ(::pclose(p), 0) << out;
  EXPECT_TRUE(Contains(out, "libsqlcipher")) << out;
  EXPECT_FALSE(Contains(out, "libsqlite3")) << out;
}

TEST(LeakBinaryTest, NoPassphraseCanBeGivenInArgv) {
  const std::vector<std::vector<std::string>> commands = {
      {"init"}, {"add"},   {"list"},     {"show"},            {"edit"},
      {"delete"}, {"passwd"}, {"wipe"}, {"keys", "new-org"}, {"facility", "add"},
      {"facility", "list"}, {"log", "show"}, {"report"}, {"keys", "age-identity"},
      {"bundle", "export"}, {"bundle", "import"}, {"trust", "add"}, {"conflicts"}, {"resolve"},
      {"reveal"}, {"verify"}, {}};
  const std::regex option("--[A-Za-z][A-Za-z0-9-]*");
  for (std::vector<std::string> args : commands) {
    args.push_back("--help");
    RunResult r = RunTvault(args);
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
    for (std::sregex_iterator it(r.out.begin(), r.out.end(), option), end; it != end; ++it) {
      const std::string name = it->str();
      if (name.find("pass") == std::string::npos && name.find("secret") == std::string::npos &&
          name.find("pin") == std::string::npos) {
        continue;
      }
      // The path of the passphrase-protected org.key file, not a secret itself.
      if (name == "--org-secret") continue;
      EXPECT_TRUE(name.size() > 3 && name.substr(name.size() - 3) == "-fd")
          << args[0] << ": option " << name << " could carry a secret in argv";
    }
  }
  RunResult help = RunTvault({"init", "--help"});
  EXPECT_TRUE(Contains(help.out, "--passphrase-fd")) << help.out;
  RunResult keys = RunTvault({"keys", "new-org", "--help"});
  EXPECT_TRUE(Contains(keys.out, "--key-passphrase-fd")) << keys.out;
  // Trying anyway is a usage error.
  TempDir d;
  RunResult r = RunTvault({"list", "--store", d.path(), "--passphrase", "Xy7-argv-secret"});
  EXPECT_EQ(r.exit_code, kUsage) << Describe(r);
}

}  // namespace
}  // namespace tvault::testing
