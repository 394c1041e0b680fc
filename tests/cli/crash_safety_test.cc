// Crash safety: `add --from`, `edit`, `passwd` and `bundle import` are killed with SIGKILL at
// random moments, and after every run the store must still be whole:
//   - it opens with the old or the new passphrase (never neither, whatever passwd was doing);
//   - SQLite's `PRAGMA integrity_check` returns "ok" and `tvault log verify` passes;
//   - every record whose command reported success is there, with the content it reported;
//   - a killed `add` of k records, or a killed `bundle import` of a bundle of k new records,
//     left all k or none (no half-written import), and a killed `edit` left the old or the new
//     version, each readable whole.
// Each import is of a fresh bundle of 1 to 3 new records, exported by a second store (the
// "exporter", on the same organisation key) and signed by its monitor, whom the store trusts.
//
// TVAULT_CRASH_KILLS sets how many runs must be killed (default 30, the CI budget;
// scripts/crash.sh runs 200 or more); TVAULT_CRASH_SEED sets the seed (printed, so a failure
// can be replayed).
#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "cli_fixture.h"
#include "crypto/envelope.h"
#include "store/db.h"
#include "tvault/bundle.h"
#include "tvault/store.h"

namespace tvault::testing {
namespace {

constexpr char kPassA[] = "crash passphrase A";
constexpr char kPassB[] = "crash passphrase B";

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

struct Outcome {
  bool killed = false;
  int exit_code = -1;
  std::string err;
};

// Runs tvault with `fd3` on descriptor 3 and SIGKILLs it `delay` after the exec unless it ended
// before; stdout and stdin are /dev/null.
Outcome RunAndKill(const std::vector<std::string>& args, const std::string& fd3,
                   std::chrono::microseconds delay) {
  TempDir io;
  WriteFileOrDie(io / "fd3", fd3);
  // Made before the fork: a child killed before its first instruction after fork must still
  // leave a (empty) stderr file to read.
  WriteFileOrDie(io / "stderr", "");
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_RDWR);
    int f3 = ::open((io / "fd3").c_str(), O_RDONLY);
    int err = ::open((io / "stderr").c_str(), O_WRONLY | O_TRUNC);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(err, 2);
    ::dup2(f3, 3);
    ::setsid();
    std::vector<std::string> copy = args;
    std::string bin = TVAULT_BINARY;
    std::vector<char*> argv = {bin.data()};
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    _exit(127);
  }
  Outcome o;
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() - start >= delay) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    const timespec pause = {0, 200 * 1000};  // 0.2 ms
    ::nanosleep(&pause, nullptr);
  }
  o.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  o.err = ReadFileOrDie(io / "stderr");
  return o;
}

class CrashSafety : public CliFixture {
 protected:
  std::string Line(const std::string& pass) const { return pass + "\n"; }

  // Opens the store with `pass_`, or with the other passphrase when a killed passwd got as far
  // as replacing the key file; fails the test when neither opens it.
  std::unique_ptr<Store> OpenEither() {
    for (const std::string& p : {pass_, Other(pass_)}) {
      auto opened = Store::Open(store(), Pass(p));
      if (opened.ok()) {
        pass_ = p;
        return std::move(opened).value();
      }
      EXPECT_EQ(opened.status().code(), Code::kWrongPassphrase) << opened.status().message();
    }
    ADD_FAILURE() << "the store opens with neither passphrase";
    return nullptr;
  }

  static std::string Other(const std::string& p) { return p == kPassA ? kPassB : kPassA; }

  // PRAGMA integrity_check through a raw SQLCipher connection keyed with the data key.
  void ExpectIntegrity() {
    const std::string wrapped = ReadFileOrDie(store() + "/" + kStoreKeyFile);
    auto dek = internal::OpenEnvelope(internal::kStoreKeyMagic, wrapped, Pass(pass_), "store.key");
    ASSERT_TRUE(dek.ok()) << dek.status().message();
    internal::Db db;
    ASSERT_TRUE(db.Open(store() + "/" + kStoreDbFile, *dek, false).ok());
    auto st = db.Prepare("PRAGMA integrity_check");
    ASSERT_TRUE(st.ok()) << st.status().message();
    auto row = st->Step();
    ASSERT_TRUE(row.ok() && *row);
    EXPECT_EQ(st->Text(0), "ok");
  }

  // Everything the header comment promises, checked against what the loop knows.
  void CheckStore(const std::string& when) {
    SCOPED_TRACE(when);
    std::unique_ptr<Store> s = OpenEither();
    ASSERT_NE(s, nullptr);
    auto list = s->List(ListFilter{});
    ASSERT_TRUE(list.ok()) << list.status().message();
    std::map<std::string, std::string> found;  // id -> narrative of the latest version
    for (const RecordInfo& info : *list) {
      auto rec = s->Get(info.id);
      ASSERT_TRUE(rec.ok()) << info.id << ": " << rec.status().message();
      found[info.id] = rec->testimony.narrative();
    }
    // Records of a killed add that committed: all of its records or none.
    std::map<std::string, std::string> fresh;
    for (const auto& [id, narrative] : found) {
      if (!expected_.count(id)) fresh[narrative] = id;
    }
    if (!fresh.empty()) {
      ASSERT_FALSE(pending_add_.empty()) << fresh.size() << " records appeared from nowhere";
      for (const std::string& n : pending_add_) {
        ASSERT_TRUE(fresh.count(n)) << "half of a killed import was stored";
        expected_[fresh[n]] = n;
      }
      ASSERT_EQ(fresh.size(), pending_add_.size());
      if (!add_reported_ok_) ++killed_after_commit_[pending_op_];
    }
    ASSERT_TRUE(!add_reported_ok_ || !fresh.empty()) << "a reported add is missing";
    pending_add_.clear();
    add_reported_ok_ = false;
    for (const auto& [id, narrative] : expected_) {
      ASSERT_TRUE(found.count(id)) << "record " << id << " was lost";
      if (found[id] != narrative) {
        // Only the record of a killed edit may hold the new narrative.
        ASSERT_EQ(id, pending_edit_id_) << "record " << id << " holds unexpected content";
        ASSERT_EQ(found[id], pending_edit_narrative_);
        expected_[id] = found[id];
      }
    }
    pending_edit_id_.clear();
    s.reset();
    ExpectIntegrity();
    RunResult v = RunTvault({"log", "verify", "--store", store(), "--passphrase-fd", "3"}, "",
                            Line(pass_));
    EXPECT_EQ(v.exit_code, kOk) << Describe(v);
  }

  // Makes the exporter (a store on the same organisation key, and its monitor's signer key)
  // and has the store trust that signer, through the binary.
  void SetUpExporter() {
    CreateOptions opts;
    opts.kdf = FastKdf();
    opts.monitor_id = "exporter";
    auto org = ReadOrgPublicKey(World().org_pub);
    ASSERT_TRUE(org.ok()) << org.status().message();
    ASSERT_TRUE(Store::Create(Path("exporter"), Pass("exporter pass"), *org, opts).ok());
    auto opened = Store::Open(Path("exporter"), Pass("exporter pass"));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    exporter_ = std::move(opened).value();
    auto signer = SignerSecretKey::Generate();
    ASSERT_TRUE(signer.ok());
    exporter_signer_ = std::make_unique<SignerSecretKey>(std::move(signer).value());
    WriteWork("exporter.pub", exporter_signer_->public_key().ToMinisignText("exporter"));
    RunResult r = RunTvault({"trust", "add", Path("exporter.pub"), "--name", "exporter",
                             "--store", store(), "--passphrase-fd", "3"},
                            "", Line(pass_));
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  }

  // Adds `narratives` as new records to the exporter and exports them (only them: earlier
  // bundles' records are marked exported) into a new bundle file, whose path is returned.
  std::string ExportFresh(const std::vector<std::string>& narratives, uint64_t attempt) {
    std::vector<InputRecord> in;
    for (const std::string& n : narratives) {
      tvault::v1::Testimony t = SamplePushback("crash");
      t.set_narrative(n);
      in.push_back({"exporter", std::move(t)});
    }
    auto ids = exporter_->Add(std::move(in));
    EXPECT_TRUE(ids.ok()) << ids.status().message();
    const std::string path = Path("bundle-" + std::to_string(attempt) + ".tvb");
    auto org = ReadOrgPublicKey(World().org_pub);
    auto r = exporter_->ExportBundle(path, *org, *exporter_signer_, BundleExportOptions{});
    EXPECT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r.ok() ? r->record_versions : 0, narratives.size());
    return path;
  }

  std::unique_ptr<Store> exporter_;
  std::unique_ptr<SignerSecretKey> exporter_signer_;
  std::string pass_ = kPassA;
  std::map<std::string, std::string> expected_;  // committed id -> latest narrative
  std::vector<std::string> pending_add_;           // narratives of the last add or import
  bool add_reported_ok_ = false;                   // the last add reported success
  std::string pending_op_;                         // "add" or "import": the last of the two
  std::map<std::string, uint64_t> killed_after_commit_;  // killed add/import that committed
  std::string pending_edit_id_, pending_edit_narrative_;
};

TEST_F(CrashSafety, KilledAddEditPasswdImportLeaveTheStoreWhole) {
  const uint64_t kills_wanted = EnvOr("TVAULT_CRASH_KILLS", 30);
  const uint64_t seed = EnvOr("TVAULT_CRASH_SEED", 20261125);
  std::printf("crash safety: seed %llu, %llu kills wanted (TVAULT_CRASH_SEED, "
              "TVAULT_CRASH_KILLS)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(kills_wanted));
  std::mt19937_64 rng(seed);

  // The fixture's store uses the fixture's passphrase: move it to kPassA first.
  RunResult r = RunTvault({"passwd", "--store", store(), "--passphrase-fd", "3",
                           "--new-passphrase-fd", "3"},
                          "", std::string(kPassLine) + kPassA + "\n");
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  SetUpExporter();
  if (HasFatalFailure()) return;
  const std::vector<std::string> kOps = {"add", "edit", "passwd", "import"};

  // How long each command takes uncut: kill times are drawn relative to it.
  std::map<std::string, std::chrono::microseconds> took;
  uint64_t kills = 0, completed = 0, attempt = 0;
  std::map<std::string, uint64_t> kills_by_op;
  // Each of the four commands must be killed at least a fifth of the wanted times.
  auto enough = [&] {
    if (kills < kills_wanted) return false;
    for (const std::string& op : kOps) {
      if (kills_by_op[op] < kills_wanted / 5) return false;
    }
    return true;
  };
  while (!enough()) {
    ++attempt;
    ASSERT_LT(attempt, kills_wanted * 6 + 60) << "too few runs were killed";
    std::string op = expected_.empty() ? "add" : kOps[rng() % kOps.size()];
    std::vector<std::string> args;
    std::string fd3 = Line(pass_);
    std::vector<std::string> narratives;
    std::string edit_id;
    if (op == "add") {
      const size_t k = 1 + rng() % 3;
      std::string jsonl;
      for (size_t j = 0; j < k; ++j) {
        tvault::v1::Testimony t = SamplePushback("crash");
        t.set_narrative("attempt " + std::to_string(attempt) + " record " + std::to_string(j));
        narratives.push_back(t.narrative());
        jsonl += ToJson(t) + "\n";
      }
      args = {"add", "--from", WriteWork("add.jsonl", jsonl)};
    } else if (op == "edit") {
      auto it = expected_.begin();
      std::advance(it, static_cast<long>(rng() % expected_.size()));
      edit_id = it->first;
      tvault::v1::Testimony t = SamplePushback("crash");
      t.set_narrative("attempt " + std::to_string(attempt) + " edit");
      narratives.push_back(t.narrative());
      args = {"edit", edit_id, "--from", WriteWork("edit.json", ToJson(t))};
    } else if (op == "passwd") {
      fd3 += Line(Other(pass_));
      args = {"passwd", "--new-passphrase-fd", "3"};
    } else {
      const size_t k = 1 + rng() % 3;
      for (size_t j = 0; j < k; ++j) {
        narratives.push_back("attempt " + std::to_string(attempt) + " imported " +
                             std::to_string(j));
      }
      fd3 += kPassLine;  // the organisation key's passphrase, read after the store's
      args = {"bundle", "import", "--org-secret", World().org_key, "--key-passphrase-fd", "3",
              ExportFresh(narratives, attempt)};
      if (HasFailure()) return;
    }
    args.insert(args.end(), {"--store", store(), "--passphrase-fd", "3"});

    // The first run of each command is timed uncut, and every run that ends uncut updates the
    // estimate (the machine's load changes); runs are killed at a uniform moment of that time,
    // or (every other run) in its last 40 %, where the writes are.
    std::chrono::microseconds delay = std::chrono::hours(1);
    if (took.count(op)) {
      const double t = static_cast<double>(took[op].count());
      std::uniform_real_distribution<double> all(0, 1.1 * t), late(0.6 * t, 1.05 * t);
      delay = std::chrono::microseconds(static_cast<int64_t>(rng() % 2 ? all(rng) : late(rng)));
    }
    const auto start = std::chrono::steady_clock::now();
    Outcome o = RunAndKill(args, fd3, delay);
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    if (!took.count(op)) {
      took[op] = elapsed;
    } else if (!o.killed) {
      took[op] = (took[op] + elapsed) / 2;
    }
    if (o.killed) {
      ++kills;
      ++kills_by_op[op];
      if (op == "add" || op == "import") pending_add_ = narratives, pending_op_ = op;
      if (op == "edit") pending_edit_id_ = edit_id, pending_edit_narrative_ = narratives[0];
    } else {
      ASSERT_EQ(o.exit_code, kOk) << op << " failed without being killed: " << o.err;
      ++completed;
      if (op == "passwd") pass_ = Other(pass_);
      if (op == "edit") expected_[edit_id] = narratives[0];
      if (op == "add" || op == "import") {  // Their ids are learnt from the store.
        pending_add_ = narratives, pending_op_ = op, add_reported_ok_ = true;
      }
    }
    CheckStore("after attempt " + std::to_string(attempt) + " (" + op +
               (o.killed ? ", killed)" : ", completed)"));
    if (HasFatalFailure() || HasFailure()) return;
  }
  auto n = [](uint64_t v) { return static_cast<unsigned long long>(v); };
  std::printf("crash safety: %llu kills survived (add %llu, of which %llu after the commit; "
              "import %llu, of which %llu after the commit; edit %llu; passwd %llu), %llu runs "
              "completed, %zu records intact\n",
              n(kills), n(kills_by_op["add"]), n(killed_after_commit_["add"]),
              n(kills_by_op["import"]), n(killed_after_commit_["import"]),
              n(kills_by_op["edit"]), n(kills_by_op["passwd"]), n(completed), expected_.size());
  EXPECT_GE(kills, kills_wanted);
}

}  // namespace
}  // namespace tvault::testing
