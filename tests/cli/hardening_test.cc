// The release hardening of the built `tvault` (issue 19, item 4), read from the binary itself
// with readelf, and the install target that ships it stripped:
//   - full RELRO: a GNU_RELRO segment and BIND_NOW (the GOT is resolved at start and then
//     read-only, so a heap overflow cannot redirect a libc call);
//   - stack canaries: the binary calls __stack_chk_fail;
//   - _FORTIFY_SOURCE: it calls glibc's bounds-checked __*_chk variants.
// The sanitizer build leaves these flags out on purpose (CMakeLists.txt); there the checks of
// the binary are skipped, never the install.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <regex>
#include <string>

#include "testing/test_util.h"

namespace tvault::testing {
namespace {

constexpr char kReadelf[] = "/usr/bin/readelf";

std::string Readelf(const std::string& option, const std::string& file) {
  RunResult r = RunProgram({kReadelf, "-W", option, file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(Hardening, BinaryHasFullRelroCanariesAndFortifiedCalls) {
  if (!TVAULT_HARDENED) GTEST_SKIP() << "sanitizer build: the hardening flags are left out";
  const std::string bin = TVAULT_BINARY;
  const std::string dynamic = Readelf("--dynamic", bin);
  EXPECT_TRUE(std::regex_search(dynamic, std::regex(R"(\(FLAGS\)\s+BIND_NOW)")) ||
              std::regex_search(dynamic, std::regex(R"(\(FLAGS_1\)\s+Flags:.*\bNOW\b)")))
      << "no BIND_NOW: the GOT stays writable (partial RELRO)\n" << dynamic;
  EXPECT_NE(Readelf("--program-headers", bin).find("GNU_RELRO"), std::string::npos);

  const std::string symbols = Readelf("--dyn-syms", bin);
  EXPECT_NE(symbols.find("__stack_chk_fail"), std::string::npos)
      << "no stack protector in the binary";
  // Any fortified libc call other than the canary's: __memcpy_chk, __snprintf_chk, ...
  std::smatch m;
  std::string rest = symbols;
  bool fortified = false;
  std::regex chk(R"(\b__(\w+)_chk\b)");
  while (std::regex_search(rest, m, chk)) {
    if (m[1] != "stack") fortified = true;
    rest = m.suffix();
  }
  EXPECT_TRUE(fortified) << "no __*_chk symbol: _FORTIFY_SOURCE is not in effect";
}

TEST(Hardening, InstallTargetInstallsAStrippedTvault) {
  TempDir prefix;
  RunResult install =
      RunProgram({TVAULT_CMAKE_COMMAND, "--install", TVAULT_BUILD_DIR, "--prefix", prefix.path()});
  ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
  const std::string installed = prefix / "bin/tvault";
  struct stat st;
  ASSERT_EQ(::stat(installed.c_str(), &st), 0) << install.out;
  EXPECT_TRUE(st.st_mode & S_IXUSR);

  const std::string sections = Readelf("--section-headers", installed);
  EXPECT_EQ(sections.find(".symtab"), std::string::npos) << "not stripped: symbol table";
  EXPECT_EQ(sections.find(".debug_info"), std::string::npos) << "not stripped: debug info";

  struct stat built;
  ASSERT_EQ(::stat(TVAULT_BINARY, &built), 0);
  EXPECT_LT(st.st_size, built.st_size);

  RunResult version = RunProgram({installed, "--version"});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_NE(version.out.find(TVAULT_VERSION), std::string::npos) << version.out;
}

}  // namespace
}  // namespace tvault::testing
