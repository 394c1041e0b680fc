// A store and bundles on a FAT USB stick (issue 19, item 5): FAT and exFAT have no hard links,
// so exclusive creation through link() failed ("not writable") and neither `init` nor
// `bundle export` worked on the sticks monitors carry bundles on.
//
// Two tests: bundles exported onto a real FAT file system (an image made by mkfs.vfat, mounted
// with fusefat in a private mount namespace; skipped, saying why, where the machine allows no
// FUSE mount or the tools are missing: scripts/bootstrap.sh installs dosfstools and fusefat),
// and, everywhere, a store made and used where link() fails as on FAT (the LD_PRELOAD fault
// shim). The store itself is not put on fusefat: that driver (used where the kernel has no
// vfat module, as in CI's container) supports neither ftruncate nor a write past the end of a
// file, which SQLite needs for its write-ahead log on any FAT stick; the kernel's vfat does.
#include <cstdlib>

#include "cli_fixture.h"
#include "fault_shim_env.h"
#include "shell_script.h"

namespace tvault::testing {
namespace {

class UsbStickTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    RunResult r = RunTvault({"keys", "new-signer", "--out", Path("mon"), "--kdf", "interactive",
                             "--key-passphrase-fd", "3"},
                            "", kPassLine);
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
    WriteFileOrDie(Path("pass"), kPassLine);
    WriteFileOrDie(Path("pass2"), std::string(kPassLine) + kPassLine);
  }

  // The shell lines that make a store at `dir`, add a testimony, export a bundle to `bundle`
  // and try a second export to the same name; each command's exit code, stdout and stderr are
  // recorded in the work directory (RecordedTvault).
  std::string Commands(const std::string& dir, const std::string& bundle) {
    auto run = [&](const std::string& name, const std::string& args, const std::string& pass) {
      return RecordedTvault(work().path(), name, args, Path(pass));
    };
    const std::string store = " --store " + ShQuote(dir) + " --passphrase-fd 3";
    const std::string exp = "bundle export" + store + " --sign " + ShQuote(Path("mon.key")) +
                            " --key-passphrase-fd 3 -o " + ShQuote(bundle);
    return run("init",
               "init --store " + ShQuote(dir) + " --org-key " + ShQuote(World().org_pub) +
                   " --kdf interactive --monitor kestrel-07 --passphrase-fd 3",
               "pass") +
           run("add", "add --from " + ShQuote(kExamplePushback) + store, "pass") +
           run("export", exp, "pass2") + run("again", exp + " --all", "pass2") +
           run("list", "list" + store, "pass");
  }

  int Rc(const std::string& name) const { return Recorded(work().path(), name).exit_code; }
  std::string Err(const std::string& name) const { return Recorded(work().path(), name).err; }

  void ExpectAllWorked(const std::string& bundle_copy) {
    EXPECT_EQ(Rc("init"), kOk) << Err("init");
    EXPECT_EQ(Rc("add"), kOk) << Err("add");
    EXPECT_EQ(Rc("export"), kOk) << Err("export");
    EXPECT_EQ(Rc("again"), kExists) << "a bundle was overwritten: " << Err("again");
    EXPECT_EQ(Rc("list"), kOk) << Err("list");
    // A whole age file: its header, and more than a header's worth.
    const std::string bundle = ReadFileOrDie(bundle_copy);
    EXPECT_EQ(bundle.rfind("age-encryption.org/v1\n", 0), 0u);
    EXPECT_GT(bundle.size(), 400u);
  }
};

// Bundles onto a real FAT file system.
TEST_F(UsbStickTest, ExportWorksOntoAFatFileSystem) {
  if (std::system("command -v mkfs.vfat >/dev/null 2>&1 && command -v fusefat >/dev/null 2>&1 "
                  "&& command -v unshare >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "mkfs.vfat, fusefat or unshare is missing (scripts/bootstrap.sh installs "
                    "dosfstools and fusefat)";
  }
  const std::string image = Path("stick.img"), mnt = Path("stick");
  ASSERT_EQ(::mkdir(mnt.c_str(), 0700), 0);
  RunResult mk = RunProgram({"/bin/sh", "-c", "mkfs.vfat -C " + ShQuote(image) + " 32768"});
  ASSERT_EQ(mk.exit_code, 0) << Describe(mk);
  const std::string script = "fusefat -o rw+ " + ShQuote(image) + " " + ShQuote(mnt) +
                             " >/dev/null 2>&1 || exit 97\n" + "grep -q " + ShQuote(mnt) +
                             " /proc/mounts || exit 97\n" +
                             Commands(Path("store-on-disk"), mnt + "/bundle-1.age") + "cp " +
                             ShQuote(mnt + "/bundle-1.age") + " " + ShQuote(Path("copy.age")) +
                             "\nfusermount -u " + ShQuote(mnt) + "\n";
  RunResult r;
  std::string why;
  if (!RunInMountNamespace(script, "no FUSE mount in a private mount namespace on this machine",
                           &r, &why)) {
    GTEST_SKIP() << why;
  }
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  ExpectAllWorked(Path("copy.age"));
}

// Everywhere: link() fails with EPERM, as it does on FAT.
TEST_F(UsbStickTest, InitAndExportWorkWhereLinkIsRefused) {
  const std::string dir = Path("nolink");
  ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0);
  std::string script;
  for (const std::string& setting : ShimEnv({"TVAULT_SHIM_NO_LINK=1"})) {
    script += "export " + ShQuote(setting) + "\n";
  }
  script += Commands(dir + "/store", dir + "/bundle-1.age");
  RunResult r = RunProgram({"/bin/sh", "-c", script});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  ExpectAllWorked(dir + "/bundle-1.age");
  // Nothing but the store and the bundle is left: no temporary file.
  for (const auto& [path, bytes] : ReadTree(dir)) {
    EXPECT_FALSE(Contains(path, ".tmp.")) << path;
  }
}

}  // namespace
}  // namespace tvault::testing
