// core/src/util/file.cc: the two ways tvault writes a file (WriteFileAtomic through a temporary
// file, WriteNewFile under its own name) share one write-all, fsync and close step; a write that
// fails part way must name the file and leave nothing behind, in both.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <set>
#include <string>

#include "testing/test_util.h"
#include "util/file.h"

namespace tvault {
namespace {

using testing::TempDir;

std::set<std::string> Names(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.insert(e.path().filename().string());
  }
  return names;
}

// Under a file size limit (as `ulimit -f` sets, with SIGXFSZ ignored as tvault does) the first
// write stops short at the limit and the next fails with EFBIG.
TEST(FileUtil, AWriteStoppedPartWayNamesTheFileAndLeavesNothing) {
  TempDir dir;
  const std::string big(256 * 1024, 'x');
  struct rlimit old_limit;
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  const struct rlimit small = {64 * 1024, old_limit.rlim_max};
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const Status atomic = internal::WriteFileAtomic(dir / "atomic", big, 0600, false);
  const Status exclusive = internal::WriteFileAtomic(dir / "exclusive", big, 0600, true);
  const Status fresh = internal::WriteNewFile(dir / "new", big, 0600);
  const Status fits = internal::WriteNewFile(dir / "fits", "small", 0600);
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);

  for (const auto& [name, status] :
       {std::pair<std::string, Status>{"atomic", atomic}, {"exclusive", exclusive},
        {"new", fresh}}) {
    EXPECT_EQ(status.code(), Code::kIoError) << name << ": " << status.message();
    EXPECT_EQ(status.message(), dir / name +
                                    ": the file is larger than this process may write (File "
                                    "too large; see `ulimit -f`)");
  }
  EXPECT_TRUE(fits.ok()) << fits.message();
  // No partial file and no temporary: only the file that fitted.
  EXPECT_EQ(Names(dir.path()), std::set<std::string>{"fits"});
  EXPECT_EQ(*internal::ReadFile(dir / "fits", 100), "small");
}

}  // namespace
}  // namespace tvault
