// Hostile or mistaken text through the real binary (issue 19, items 15 to 18): control
// characters in a deletion's reason, a legal name as the monitor code, an invalid JSON escape,
// and a name typed where a record id belongs.
#include "cli_fixture.h"

namespace tvault::testing {
namespace {

const std::string kExamplePushback =
    std::string(TVAULT_SOURCE_DIR) + "/docs/examples/pushback.json";

class HostileTextTest : public CliFixture {
 protected:
  std::string AddExample() {
    TvOk({"add", "--from", kExamplePushback});
    return *Ids().begin();
  }
};

// Item 15: the reason is a short text like any other, and travels in bundles.
TEST_F(HostileTextTest, DeleteRefusesControlCharactersInTheReason) {
  const std::string id = AddExample();
  for (const std::string& reason : std::vector<std::string>{
           "dup\x1b[2J\x1b[31mlike this", "tab\there", "c1 \xc2\x9b" "31m", "cr\r"}) {
    RunResult r = Tv({"delete", id, "--reason", reason});
    EXPECT_EQ(r.exit_code, kInvalidInput) << Describe(r);
    EXPECT_TRUE(Contains(r.err, "--reason: contains the control character U+")) << r.err;
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "the reason was echoed";
  }
  EXPECT_EQ(Field(ListJson().at(0), "deleted"), "false");
  TvOk({"delete", id, "--reason", "duplicate of an earlier testimony"});
}

// Item 15: whatever a store already holds (written by an older tvault, or arriving from
// elsewhere) is escaped when printed, never passed to the terminal raw.
TEST_F(HostileTextTest, ShowAndListEscapeControlCharactersFromTheStore) {
  const std::string id = AddExample();
  TvOk({"delete", id, "--reason", "placeholder"});
  ExecOnStoreOrDie(store(), Pass("passphrase"),
                   "UPDATE record_versions SET reason = 'x' || char(27) || ']0;owned' || "
                   "char(7) || char(27) || '[2J' || char(155) || 'y' WHERE tombstone = 1; "
                   "UPDATE records SET updated_at = updated_at || char(27) || '[8m'");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"show", id}, {"show", id, "--history"}, {"list", "--deleted"}}) {
    RunResult r = TvOk(args);
    SCOPED_TRACE(args[0] + " " + args.back());
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << "raw ESC printed: " << r.out;
    EXPECT_EQ(r.out.find('\x07'), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\xc2\x9b"), std::string::npos) << "raw CSI printed: " << r.out;
  }
  RunResult r = TvOk({"show", id});
  EXPECT_TRUE(Contains(r.out, "DELETED: x\\x1b]0;owned\\x07\\x1b[2J\\u009by")) << r.out;
  // --json escapes as JSON does.
  r = TvOk({"show", id, "--json"});
  EXPECT_TRUE(Contains(r.out, "\\u001b]0;owned")) << r.out;
}

// Item 16: the monitor code becomes every record's monitor_id, which allows only a code.
TEST_F(HostileTextTest, InitRefusesAMonitorCodeTheSchemaWouldRefuse) {
  for (const std::string& monitor : std::vector<std::string>{
           "Amina Yusufzai", "kestrel/07", "k\x1b[31m", "\xc3\xa4-07", std::string(65, 'a')}) {
    const std::string dir = Path("new-store");
    RunResult r = RunTvault({"init", "--store", dir, "--org-key", World().org_pub, "--kdf",
                             "interactive", "--monitor", monitor, "--passphrase-fd", "3"},
                            "", kPassLine);
    EXPECT_EQ(r.exit_code, kInvalidInput) << monitor << ": " << Describe(r);
    EXPECT_TRUE(Contains(r.err, "--monitor: must be a code name")) << r.err;
    EXPECT_FALSE(Contains(r.err, "Amina")) << "the name was echoed: " << r.err;
    struct stat st;
    EXPECT_NE(::stat(dir.c_str(), &st), 0) << "a store was created for " << monitor;
  }
  // A code, and no code at all, are accepted; records then round-trip through edit --from.
  RunResult r = RunTvault({"init", "--store", Path("coded"), "--org-key", World().org_pub,
                           "--kdf", "interactive", "--monitor", "Kestrel_07.b-2",
                           "--passphrase-fd", "3"},
                          "", kPassLine);
  EXPECT_EQ(r.exit_code, kOk) << Describe(r);
}

// Item 17: protobuf's JSON parser kept the letter of an unknown escape ("\x41" -> "x41").
TEST_F(HostileTextTest, InvalidJsonEscapeIsRefusedNamingTheField) {
  const std::string good = ReadFileOrDie(kExamplePushback);
  const size_t at = good.find("\"narrative\"");
  ASSERT_NE(at, std::string::npos);
  const size_t open = good.find('"', good.find(':', at)) + 1;
  for (const std::string& escape :
       std::vector<std::string>{"\\x41", "\\a", "\\u00g1", "\\'", "\\U0041"}) {
    std::string bad = good;
    bad.insert(open, escape);
    RunResult r = Tv({"add", "--from", WriteWork("bad.json", bad)});
    EXPECT_EQ(r.exit_code, kInvalidInput) << escape << ": " << Describe(r);
    EXPECT_TRUE(Contains(r.err, "invalid escape")) << r.err;
    EXPECT_TRUE(Contains(r.err, "\"narrative\"")) << r.err;
  }
  EXPECT_TRUE(Ids().empty());
  // The escapes JSON has are accepted.
  std::string fine = good;
  fine.insert(open, "\\u0041\\\"\\\\\\/\\n\\t ");
  TvOk({"add", "--from", WriteWork("fine.json", fine)});
  EXPECT_EQ(ShowJson(*Ids().begin()).narrative().substr(0, 7), "A\"\\/\n\t ");
}

// Item 18: what is typed where an id belongs may be a name; it is never echoed.
TEST_F(HostileTextTest, ANameTypedAsARecordIdIsNotEchoed) {
  const std::string id = AddExample();
  // 14 characters (looked up as a prefix), exactly 32 (taken as a whole id), and a hex prefix.
  for (const std::string& typed :
       std::vector<std::string>{"Amina Yusufzai", "Amina Yusufzai, born 1990, Kabul"}) {
    ASSERT_TRUE(typed.size() == 14 || typed.size() == 32);
    for (const std::string& cmd : std::vector<std::string>{"show", "edit", "delete"}) {
      std::vector<std::string> args = {cmd, typed};
      if (cmd == "edit") args.insert(args.end(), {"--from", kExamplePushback});
      if (cmd == "delete") args.insert(args.end(), {"--reason", "typo"});
      RunResult r = Tv(args);
      EXPECT_EQ(r.exit_code, kNotFound) << cmd << ": " << Describe(r);
      EXPECT_TRUE(Contains(r.err, "no record with that id")) << r.err;
      EXPECT_FALSE(Contains(r.err + r.out, "Amina")) << cmd << " echoed it: " << r.err;
    }
  }
  RunResult r = RunTvault({"resolve", "Amina Yusufzai", "--keep", "2", "--store", store(),
                           "--passphrase-fd", "3"},
                          "", kPassLine);
  EXPECT_FALSE(Contains(r.err + r.out, "Amina")) << "resolve echoed it: " << r.err;
  // A hexadecimal id that names no record is still quoted: it identifies nobody.
  std::string other = id;
  other[0] = other[0] == 'a' ? 'b' : 'a';
  r = Tv({"show", other});
  EXPECT_EQ(r.exit_code, kNotFound) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "no record with id " + other)) << r.err;
}

}  // namespace
}  // namespace tvault::testing
