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

namespace tvault::testing {
namespace {

const std::string kExamplePushback =
    std::string(TVAULT_SOURCE_DIR) + "/docs/examples/pushback.json";

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

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
  // and try a second export to the same name; each command's exit code goes to NAME.rc and its
  // stderr to NAME.err in the work directory.
  std::string Commands(const std::string& dir, const std::string& bundle) {
    const std::string tv = Quote(TVAULT_BINARY);
    auto run = [&](const std::string& name, const std::string& args, const std::string& pass) {
      return tv + " " + args + " 3<" + Quote(Path(pass)) + " >/dev/null 2>" +
             Quote(Path(name + ".err")) + "; echo $? >" + Quote(Path(name + ".rc")) + "\n";
    };
    const std::string store = " --store " + Quote(dir) + " --passphrase-fd 3";
    const std::string exp = "bundle export" + store + " --sign " + Quote(Path("mon.key")) +
                            " --key-passphrase-fd 3 -o " + Quote(bundle);
    return run("init",
               "init --store " + Quote(dir) + " --org-key " + Quote(World().org_pub) +
                   " --kdf interactive --monitor kestrel-07 --passphrase-fd 3",
               "pass") +
           run("add", "add --from " + Quote(kExamplePushback) + store, "pass") +
           run("export", exp, "pass2") + run("again", exp + " --all", "pass2") +
           run("list", "list" + store, "pass");
  }

  int Rc(const std::string& name) {
    return std::atoi(ReadFileOrDie(Path(name + ".rc")).c_str());
  }
  std::string Err(const std::string& name) { return ReadFileOrDie(Path(name + ".err")); }

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
  RunResult mk = RunProgram({"/bin/sh", "-c", "mkfs.vfat -C " + Quote(image) + " 32768"});
  ASSERT_EQ(mk.exit_code, 0) << Describe(mk);
  const std::string script = "fusefat -o rw+ " + Quote(image) + " " + Quote(mnt) +
                             " >/dev/null 2>&1 || exit 97\n" + "grep -q " + Quote(mnt) +
                             " /proc/mounts || exit 97\n" +
                             Commands(Path("store-on-disk"), mnt + "/bundle-1.age") + "cp " +
                             Quote(mnt + "/bundle-1.age") + " " + Quote(Path("copy.age")) +
                             "\nfusermount -u " + Quote(mnt) + "\n";
  RunResult r = RunProgram({"/usr/bin/unshare", "-m", "/bin/sh", "-c", script});
  if (r.exit_code == 97 || Contains(r.err, "unshare failed")) {
    GTEST_SKIP() << "no FUSE mount in a private mount namespace on this machine: " << r.err;
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
    script += "export " + Quote(setting) + "\n";
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
