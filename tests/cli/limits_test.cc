// Hostile sizes and shapes through the real binary: each input is refused with a clear message
// and the documented exit code, within bounded time and memory (the peak resident set of the
// tvault process, from wait4), and the store is left as it was. The bounds are generous, to
// hold under the sanitizers and on a loaded machine; what they catch is unbounded growth (a
// record of 10^6 nationalities parsed into memory, recursion 10^5 levels deep).
#include <sys/resource.h>
#include <unistd.h>
#include <sys/wait.h>

#include <chrono>
#include <string>
#include <vector>

#include "cli_fixture.h"
#include "tvault/schema.h"

namespace tvault::testing {
namespace {

constexpr long kMaxRssKiB = 768 * 1024;  // 768 MiB, of which Argon2id takes 64 MiB
constexpr double kMaxSeconds = 60;

struct Measured {
  RunResult run;
  long max_rss_kib = 0;
  double seconds = 0;
};

class LimitsTest : public CliFixture {
 protected:
  // Runs `tvault ARGS --store S --passphrase-fd 3`, with `stdin_path` on standard input, and
  // measures the child alone.
  Measured Run(std::vector<std::string> args, const std::string& stdin_path = "/dev/null") {
    args.insert(args.end(), {"--store", store(), "--passphrase-fd", "3"});
    TempDir io;
    WriteFileOrDie(io / "fd3", kPassLine);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = ::fork();
    if (pid == 0) {
      int null = ::open(stdin_path.c_str(), O_RDONLY);
      int f3 = ::open((io / "fd3").c_str(), O_RDONLY);
      int out = ::open((io / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int err = ::open((io / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(null, 0);
      ::dup2(out, 1);
      ::dup2(err, 2);
      ::dup2(f3, 3);
      ::setsid();
      std::string bin = TVAULT_BINARY;
      std::vector<char*> argv = {bin.data()};
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(bin.c_str(), argv.data());
      _exit(127);
    }
    Measured m;
    int status = 0;
    struct rusage usage = {};
    ::wait4(pid, &status, 0, &usage);
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.max_rss_kib = usage.ru_maxrss;
    m.run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    m.run.out = ReadFileOrDie(io / "out");
    m.run.err = ReadFileOrDie(io / "err");
    return m;
  }

  // `add --from` of `content`: refused with exit `code` and a message containing `reason`,
  // within the bounds, and nothing added.
  void ExpectRefused(const std::string& content, int code, const std::string& reason) {
    const size_t before = ListJson().size();
    Measured m = Run({"add", "--from", WriteWork("hostile.json", content)});
    EXPECT_EQ(m.run.exit_code, code) << Describe(m.run);
    EXPECT_TRUE(Contains(m.run.err, reason)) << Describe(m.run);
    EXPECT_LT(m.run.err.size(), 2000u) << "the error should be one clear message";
    EXPECT_LT(m.max_rss_kib, kMaxRssKiB) << "peak memory " << m.max_rss_kib / 1024 << " MiB";
    EXPECT_LT(m.seconds, kMaxSeconds);
    std::printf("limits: %zu-byte input refused in %.2f s, peak %ld MiB: %s",
                content.size(), m.seconds, m.max_rss_kib / 1024,
                m.run.err.substr(0, 160).c_str());
    EXPECT_EQ(ListJson().size(), before) << "a refused import changed the store";
  }

  static std::string Json(const tvault::v1::Testimony& t) { return ToJson(t); }
};

TEST_F(LimitsTest, AMillionNationalitiesInOneRecord) {
  tvault::v1::Testimony t = SamplePushback("limits");
  t.mutable_pushback()->clear_nationalities();
  std::string json = Json(t);
  std::string many = "\"nationalities\":[";
  for (int i = 0; i < 1000000; ++i) {
    many += std::string(i ? "," : "") + "{\"country\":\"AF\",\"count\":1}";
  }
  many += "],";
  const size_t at = json.find("\"pushback\":{");
  ASSERT_NE(at, std::string::npos) << json;
  json.insert(at + std::string("\"pushback\":{").size(), many);
  ASSERT_GT(json.size(), size_t{25} << 20);
  ExpectRefused(json + "\n", kInvalidInput, "than the limit of 1048576 bytes");
}

TEST_F(LimitsTest, MoreRepeatedEntriesThanTheSchemaAllowsInASmallRecord) {
  tvault::v1::Testimony t = SamplePushback("limits");
  t.mutable_pushback()->clear_nationalities();
  for (size_t i = 0; i <= kMaxRepeated; ++i) {
    auto* n = t.mutable_pushback()->add_nationalities();
    n->set_country("AF");
    n->set_count(1);
  }
  ExpectRefused(Json(t) + "\n", kInvalidInput, "pushback.nationalities");
}

TEST_F(LimitsTest, OversizedNarrativeAndShortField) {
  tvault::v1::Testimony t = SamplePushback("limits");
  t.set_narrative(std::string(kMaxTextFieldBytes + 1, 'n'));
  ExpectRefused(Json(t) + "\n", kInvalidInput, "narrative");
  t = SamplePushback("limits");
  t.mutable_pushback()->mutable_location()->set_municipality(std::string(kMaxShortFieldBytes + 1, 'm'));
  ExpectRefused(Json(t) + "\n", kInvalidInput, "municipality");
}

TEST_F(LimitsTest, DeeplyNestedJson) {
  const size_t depth = 100000;
  ExpectRefused("{\"narrative\":" + std::string(depth, '[') + std::string(depth, ']') + "}\n",
                kInvalidInput, "nested deeper than");
  ExpectRefused("[" + std::string(depth, '{'), kInvalidInput, "record 1");
}

TEST_F(LimitsTest, InvalidUtf8IsRefusedWithoutEchoingTheBytes) {
  for (const std::string& bad : {std::string("\xC3\x28"), std::string("\xED\xA0\x80"),
                                 std::string("\xF4\x90\x80\x80"), std::string("\xFF")}) {
    std::string json = Json(SamplePushback("utf8"));
    json.insert(json.find("-narrative") , "abc" + bad);
    ExpectRefused(json + "\n", kInvalidInput, "not valid UTF-8");
  }
}

// `add --from` holds the whole file and its parsed records in memory until its one transaction:
// a file over kMaxImportFileBytes (256 MiB, cli/cmd_add.cc) is refused, naming the file and the
// limit. A regular file is refused by its size before a byte is read (here a sparse file, which
// costs no disk); a stream (standard input, here endless zeros from /dev/zero) once it passes
// the limit.
TEST_F(LimitsTest, ImportFileOverTheSizeLimit) {
  const size_t before = ListJson().size();
  const std::string big = Path("big.jsonl");
  WriteFileOrDie(big, "");
  ASSERT_EQ(::truncate(big.c_str(), (off_t{256} << 20) + 1), 0);
  Measured m = Run({"add", "--from", big});
  EXPECT_EQ(m.run.exit_code, kInvalidInput) << Describe(m.run);
  EXPECT_TRUE(Contains(m.run.err, big + ": larger than the limit of 256 MiB")) << m.run.err;
  // Reading the file would take its 256 MiB; the sanitized binary alone peaks at about 124 MiB.
  EXPECT_LT(m.max_rss_kib, 256 * 1024) << "the file was read: peak " << m.max_rss_kib << " KiB";
  std::printf("limits: a 256 MiB + 1 file refused in %.2f s, peak %ld MiB: %s", m.seconds,
              m.max_rss_kib / 1024, m.run.err.c_str());

  m = Run({"add", "--from", "-"}, "/dev/zero");
  EXPECT_EQ(m.run.exit_code, kInvalidInput) << Describe(m.run);
  EXPECT_TRUE(Contains(m.run.err, "-: larger than the limit of 256 MiB")) << m.run.err;
  EXPECT_LT(m.max_rss_kib, kMaxRssKiB);
  EXPECT_LT(m.seconds, kMaxSeconds);
  std::printf("limits: endless standard input refused after 256 MiB in %.2f s, peak %ld MiB\n",
              m.seconds, m.max_rss_kib / 1024);
  EXPECT_EQ(ListJson().size(), before) << "a refused import changed the store";
}

TEST_F(LimitsTest, KeyFileOfAnotherVersionOrKind) {
  const std::string key = store() + "/store.key";
  const std::string original = ReadFileOrDie(key);
  std::string newer = original;
  newer[8] = 2;  // The envelope version byte (docs/formats.md).
  WriteFileOrDie(key, newer);
  Measured m = Run({"list"});
  EXPECT_EQ(m.run.exit_code, 9) << Describe(m.run);  // unsupported
  EXPECT_TRUE(Contains(m.run.err, "version 2 is newer than this tvault supports")) << m.run.err;
  EXPECT_LT(m.seconds, kMaxSeconds);

  std::string older = original;
  older[8] = 0;
  WriteFileOrDie(key, older);
  m = Run({"list"});
  EXPECT_EQ(m.run.exit_code, kDamaged) << Describe(m.run);
  EXPECT_TRUE(Contains(m.run.err, "damaged")) << m.run.err;

  // A KDF asking for petabytes is refused before any memory is taken.
  std::string greedy = original;
  greedy[27] = 0x7f;  // memlimit's top byte
  WriteFileOrDie(key, greedy);
  m = Run({"list"});
  EXPECT_EQ(m.run.exit_code, kDamaged) << Describe(m.run);
  EXPECT_TRUE(Contains(m.run.err, "KDF parameters out of range")) << m.run.err;
  EXPECT_LT(m.max_rss_kib, kMaxRssKiB);

  WriteFileOrDie(key, ReadFileOrDie(World().org_key));  // an org.key in place of store.key
  m = Run({"list"});
  EXPECT_EQ(m.run.exit_code, kDamaged) << Describe(m.run);
  EXPECT_TRUE(Contains(m.run.err, "not a tvault key file of the expected kind")) << m.run.err;

  WriteFileOrDie(key, original);
  EXPECT_EQ(Run({"list"}).run.exit_code, kOk);
}

}  // namespace
}  // namespace tvault::testing
