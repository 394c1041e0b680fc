// A fixture shared by the integration tests that drive the real `tvault` binary.
//
// Once per test binary it creates an organisation key pair and a template store (with the
// demo facility registry), through the binary itself. Every test then gets its own copy of
// that store in a fresh directory, so tests are isolated and only pay for the commands they
// run. All passphrases travel on file descriptor 3, never in argv.
#ifndef TVAULT_TESTS_CLI_CLI_FIXTURE_H_
#define TVAULT_TESTS_CLI_CLI_FIXTURE_H_

#include <fcntl.h>
#include <gtest/gtest.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "testing/test_util.h"
#include "tvault/v1/testimony.pb.h"

namespace tvault::testing {

// The exit codes documented in docs/cli.md (cli/common.h). Written out as numbers on purpose:
// scripts depend on them, so a renumbering must break these tests.
inline constexpr int kOk = 0;
inline constexpr int kUsage = 2;
inline constexpr int kWrongPassphrase = 3;
inline constexpr int kInvalidInput = 4;
inline constexpr int kDamaged = 5;
inline constexpr int kNotFound = 6;
inline constexpr int kExists = 7;
inline constexpr int kIo = 8;
inline constexpr int kCancelled = 10;

// The passphrase of the fixture's store and org key, as written on fd 3.
inline constexpr char kPassLine[] = "passphrase\n";

// Everything about a run, for failure messages.
inline std::string Describe(const RunResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\n--- stdout ---\n" + r.out.substr(0, 4000) +
         "\n--- stderr ---\n" + r.err.substr(0, 4000);
}

// Like RunTvault, but the child runs with RLIMIT_FSIZE = `max_file_bytes` (a stand-in for a
// full disk that works as root). With `ignore_xfsz`, SIGXFSZ is ignored (and stays ignored
// across exec), so oversized writes fail with EFBIG like a full disk; otherwise the kernel
// kills the process mid-write, like a power cut.
inline RunResult RunTvaultLimited(const std::vector<std::string>& args, const std::string& fd3,
                                  rlim_t max_file_bytes, bool ignore_xfsz) {
  TempDir io;
  const std::string fd3_path = io / "fd3", out_path = io / "stdout", err_path = io / "stderr";
  WriteFileOrDie(fd3_path, fd3);
  WriteFileOrDie(io / "stdin", "");
  pid_t pid = ::fork();
  if (pid == 0) {
    int in = ::open((io / "stdin").c_str(), O_RDONLY);
    int f3 = ::open(fd3_path.c_str(), O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::dup2(f3, 3);
    ::setsid();
    struct rlimit lim = {max_file_bytes, max_file_bytes};
    ::setrlimit(RLIMIT_FSIZE, &lim);
    ::signal(SIGXFSZ, ignore_xfsz ? SIG_IGN : SIG_DFL);
    std::vector<std::string> copy = args;
    std::string bin = TVAULT_BINARY;
    std::vector<char*> argv = {bin.data()};
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
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

// Parses one JSON object (a line of `--json` output) into a Struct; fails the test otherwise.
inline google::protobuf::Struct ParseJsonObject(const std::string& text) {
  google::protobuf::Struct s;
  auto status = google::protobuf::util::JsonStringToMessage(text, &s);
  EXPECT_TRUE(status.ok()) << "not a JSON object: " << text;
  return s;
}

inline std::string Field(const google::protobuf::Struct& s, const std::string& name) {
  auto it = s.fields().find(name);
  if (it == s.fields().end()) return "<missing>";
  const google::protobuf::Value& v = it->second;
  if (v.has_string_value()) return v.string_value();
  if (v.has_bool_value()) return v.bool_value() ? "true" : "false";
  if (v.has_number_value()) return std::to_string(static_cast<long long>(v.number_value()));
  return "<other>";
}

inline std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

inline std::string ToJson(const google::protobuf::Message& m) {
  std::string out;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(m, &out).ok());
  return out;
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The org key pair and the template store, made once per test binary.
struct CliWorld {
  TempDir dir;
  std::string org_pub, org_key, facilities_jsonl, template_store;
};

inline const CliWorld& World() {
  static CliWorld* world = [] {
    auto* w = new CliWorld;
    const std::string org = w->dir / "org";
    RunResult r = RunTvault({"keys", "new-org", "--out", org, "--kdf", "interactive",
                             "--key-passphrase-fd", "3"},
                            "", kPassLine);
    if (r.exit_code != 0) ADD_FAILURE() << "keys new-org: " << Describe(r);
    w->org_pub = org + ".pub";
    w->org_key = org + ".key";
    w->template_store = w->dir / "template-store";
    r = RunTvault({"init", "--store", w->template_store, "--org-key", w->org_pub, "--kdf",
                   "interactive", "--monitor", "kestrel-07", "--passphrase-fd", "3"},
                  "", kPassLine);
    if (r.exit_code != 0) ADD_FAILURE() << "init: " << Describe(r);
    r = RunTvault({"demo-data", "--facilities"});
    if (r.exit_code != 0) ADD_FAILURE() << "demo-data --facilities: " << Describe(r);
    w->facilities_jsonl = w->dir / "facilities.jsonl";
    WriteFileOrDie(w->facilities_jsonl, r.out);
    r = RunTvault({"facility", "add", "--from", w->facilities_jsonl, "--store", w->template_store,
                   "--passphrase-fd", "3"},
                  "", kPassLine);
    if (r.exit_code != 0) ADD_FAILURE() << "facility add --from: " << Describe(r);
    return w;
  }();
  return *world;
}

// Gives each test a private copy of the template store at store().
class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = work_ / "store";
    ASSERT_EQ(::mkdir(store_.c_str(), 0700), 0);
    for (const auto& [path, bytes] : ReadTree(World().template_store)) {
      WriteFileOrDie(store_ + path.substr(World().template_store.size()), bytes);
    }
  }

  const std::string& store() const { return store_; }
  const TempDir& work() const { return work_; }
  std::string Path(const std::string& name) const { return work_ / name; }

  // Writes `content` to a file in the work directory and returns its path.
  std::string WriteWork(const std::string& name, const std::string& content) const {
    WriteFileOrDie(Path(name), content);
    return Path(name);
  }

  // Runs `args` (a subcommand and its arguments) against this test's store, with the
  // passphrase on fd 3.
  RunResult Tv(std::vector<std::string> args, const std::string& input = "",
               const std::vector<std::string>& env = {}) const {
    args.insert(args.end(), {"--store", store_, "--passphrase-fd", "3"});
    return RunTvault(args, input, kPassLine, env);
  }

  // Runs and asserts success.
  RunResult TvOk(const std::vector<std::string>& args, const std::string& input = "") const {
    RunResult r = Tv(args, input);
    EXPECT_EQ(r.exit_code, kOk) << "tvault " << args[0] << ": " << Describe(r);
    return r;
  }

  // `list --json` (with `extra` flags), parsed.
  std::vector<google::protobuf::Struct> ListJson(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"list", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = TvOk(args);
    std::vector<google::protobuf::Struct> rows;
    for (const std::string& line : SplitLines(r.out)) rows.push_back(ParseJsonObject(line));
    return rows;
  }

  std::set<std::string> Ids(std::vector<std::string> extra = {}) const {
    std::set<std::string> ids;
    for (const auto& row : ListJson(extra)) ids.insert(Field(row, "id"));
    return ids;
  }

  // Adds one testimony through `add --from` and returns its id.
  std::string AddOne(const tvault::v1::Testimony& t, const std::string& name = "one.json") {
    std::set<std::string> before = Ids({"--deleted"});
    std::string path = WriteWork(name, ToJson(t));
    RunResult r = TvOk({"add", "--from", path});
    EXPECT_TRUE(Contains(r.out, "added 1 testimony")) << r.out;
    std::string id;
    for (const std::string& x : Ids({"--deleted"})) {
      if (!before.count(x)) id = x;
    }
    EXPECT_EQ(id.size(), 32u) << "no new record after add";
    return id;
  }

  // `show ID --json`, parsed into a Testimony.
  tvault::v1::Testimony ShowJson(const std::string& id,
                                 std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"show", id, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = TvOk(args);
    tvault::v1::Testimony t;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &t).ok()) << r.out;
    return t;
  }

 private:
  TempDir work_;
  std::string store_;
};

}  // namespace tvault::testing

#endif  // TVAULT_TESTS_CLI_CLI_FIXTURE_H_
