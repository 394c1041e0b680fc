// Stores and output folders on awkward media, through the real binary (issue 19, items 19 and
// 21): a read-only mount, a full disk, and a report killed while it writes its folder.
//
// Read-only and full media are real tmpfs mounts made in a private mount namespace
// (`unshare -m`, run as root as CI is); where the machine does not allow that, those tests
// are skipped and say why. The kill uses tests/testing/fault_shim.cc (LD_PRELOAD).
#include "fault_shim_env.h"
#include "report_fixture.h"
#include "shell_script.h"

namespace tvault::testing {
namespace {

class MediaTest : public ReportFixture {
 protected:
  // Runs `script` with /bin/sh in a private mount namespace in which `Mount()` is a fresh tmpfs
  // with `options`. Returns false (and the reason) when this machine cannot do that.
  bool RunMounted(const std::string& options, const std::string& script, RunResult* result,
                  std::string* why) {
    const std::string mnt = Mount();
    ::mkdir(mnt.c_str(), 0700);
    return RunInMountNamespace(
        "mount -t tmpfs -o " + options + " tvault-test " + ShQuote(mnt) + " || exit 97\n" + script,
        "no private tmpfs mount on this machine (unshare -m, mount -t tmpfs)", result, why);
  }

  std::string Mount() const { return Path("mnt"); }

  // A tvault command line for the script: the store at `dir`, the passphrase on fd 3 from a
  // file, stdout and stderr into NAME.out / NAME.err and the exit code into NAME.rc in the
  // work directory (outside the mount).
  std::string Tvault(const std::string& name, const std::string& args, const std::string& dir) {
    WriteFileOrDie(Path("pass"), kPassLine);
    return RecordedTvault(work().path(), name,
                          args + " --store " + ShQuote(dir) + " --passphrase-fd 3", Path("pass"));
  }

  // What Tvault(name, ...) recorded.
  RunResult Recorded(const std::string& name) const {
    return testing::Recorded(work().path(), name);
  }
};

// Item 19: list, show, search and log verify read a store on a read-only mount (they used to
// exit 8, "cannot write the store"); a write is refused with exit 8 and changes nothing.
TEST_F(MediaTest, ReadCommandsWorkOnReadOnlyMedia) {
  TvOk({"add", "--from", kExamplePushback});
  const std::string id = *Ids().begin();
  const std::string ro = Mount() + "/store";
  std::string script = "cp -a " + ShQuote(store()) + " " + ShQuote(ro) + " || exit 98\n" +
                       "mount -o remount,ro " + ShQuote(Mount()) + " || exit 99\n";
  script += Tvault("list", "list", ro) + Tvault("show", "show " + id, ro) +
            Tvault("verify", "log verify", ro) + Tvault("search", "search border", ro) +
            Tvault("add", "add --from " + ShQuote(kExamplePushback), ro);
  // A store whose write-ahead log still holds changes cannot be read from store.db alone.
  script += "mount -o remount,rw " + ShQuote(Mount()) + " && printf x >" +
            ShQuote(ro + "/store.db-wal") + " && mount -o remount,ro " + ShQuote(Mount()) + "\n" +
            Tvault("dirty", "list", ro);
  RunResult r;
  std::string why;
  if (!RunMounted("size=64m", script, &r, &why)) GTEST_SKIP() << why;
  ASSERT_EQ(r.exit_code, 0) << Describe(r);

  RunResult list = Recorded("list");
  EXPECT_EQ(list.exit_code, kOk) << Describe(list);
  EXPECT_TRUE(Contains(list.out, id.substr(0, 12))) << list.out;
  RunResult show = Recorded("show");
  EXPECT_EQ(show.exit_code, kOk) << Describe(show);
  EXPECT_TRUE(Contains(show.out, "record " + id)) << show.out;
  RunResult verify = Recorded("verify");
  EXPECT_EQ(verify.exit_code, kOk) << Describe(verify);
  EXPECT_TRUE(Contains(verify.out, "audit log intact")) << verify.out;
  RunResult search = Recorded("search");
  EXPECT_EQ(search.exit_code, kOk) << Describe(search);

  RunResult add = Recorded("add");
  EXPECT_EQ(add.exit_code, kIo) << Describe(add);
  EXPECT_TRUE(Contains(add.err, "is on read-only media")) << add.err;
  RunResult dirty = Recorded("dirty");
  EXPECT_EQ(dirty.exit_code, kIo) << Describe(dirty);
  EXPECT_TRUE(Contains(dirty.err, "was not closed cleanly")) << dirty.err;
}

// Item 19: a full disk is named as such, not as an "input/output error".
TEST_F(MediaTest, AFullDiskIsCalledFull) {
  const std::string full = Mount() + "/store";
  std::string script = "cp -a " + ShQuote(store()) + " " + ShQuote(full) + " || exit 98\n" +
                       "dd if=/dev/zero of=" + ShQuote(Mount() + "/filler") +
                       " bs=4096 2>/dev/null\n";
  script += Tvault("add", "add --from " + ShQuote(kExamplePushback), full);
  RunResult r;
  std::string why;
  if (!RunMounted("size=16m", script, &r, &why)) GTEST_SKIP() << why;
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  RunResult add = Recorded("add");
  EXPECT_EQ(add.exit_code, kIo) << Describe(add);
  EXPECT_TRUE(Contains(add.err, "the disk is full")) << add.err;
  EXPECT_FALSE(Contains(add.err, "input/output error")) << add.err;
}

// Item 21: a report killed while writing its folder (here at the 10th of its 58 files, by
// SIGKILL from the fault shim) leaves no folder under the name asked for; the release is in
// the ledger, and `ledger export` writes the whole folder.
TEST_F(MediaTest, AKilledReportLeavesNoHalfWrittenFolder) {
  SetUpReporting(400);
  const std::string out = Path("killed-report");
  RunResult r = RunTvault({"report", "--store", store(), "--org-secret", World().org_key,
                           "--sign", Path("analyst.key"), "--month", "2026-01", "--out", out,
                           "--passphrase-fd", "3", "--org-passphrase-fd", "3",
                           "--sign-passphrase-fd", "3"},
                          "", kThreePasses,
                          ShimEnv({"TVAULT_SHIM_KILL_FSYNC=killed-report:10"}));
  ASSERT_EQ(r.exit_code, 128 + SIGKILL) << "the shim did not kill it: " << Describe(r);
  struct stat st;
  EXPECT_NE(::stat(out.c_str(), &st), 0)
      << "a half-written report folder: " << ReadTree(out).size() << " files";
  // The rest of the work folder: the store, the keys, the demo file, and one temporary folder.
  int temporaries = 0;
  for (const auto& [path, bytes] : ReadTree(work().path())) {
    if (Contains(path, "/killed-report.tmp.")) ++temporaries;
  }
  EXPECT_GT(temporaries, 0) << "the shim killed it elsewhere";

  TvOk({"ledger", "export", "--month", "2026-01", "--out", out});
  std::map<std::string, std::string> files = ReadTree(out);
  EXPECT_GT(files.size(), 20u);
  for (const auto& [path, bytes] : files) {
    if (path.size() > 8 && path.substr(path.size() - 8) == ".minisig") continue;
    EXPECT_EQ(files.count(path + ".minisig"), 1u) << path << " has no signature";
  }
  EXPECT_EQ(files.count(out + "/manifest.json.minisig"), 1u);
}

}  // namespace
}  // namespace tvault::testing
