// The field monitor's workflow, end to end through the real binary: keys, init, facilities,
// add (JSON lines, array, one pretty object), list, show, edit, delete, the audit log, help
// texts and the demo generator.
#include <sys/stat.h>

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "cli/cli_fixture.h"

namespace tvault::testing {
namespace {

namespace v1 = ::tvault::v1;

const std::string kSource = TVAULT_SOURCE_DIR;
const std::string kExamplePushback = kSource + "/docs/examples/pushback.json";
const std::string kExampleFacility = kSource + "/docs/examples/facility.json";

class MonitorWorkflowTest : public CliFixture {};

size_t CountLines(const std::string& s) { return SplitLines(s).size(); }

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

TEST_F(MonitorWorkflowTest, KeysInitAndFacilityRegistryFromScratch) {
  const std::string org = Path("neworg");
  RunResult r = RunTvault({"keys", "new-org", "--out", org, "--kdf", "interactive",
                           "--key-passphrase-fd", "3"},
                          "", kPassLine);
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Exists(org + ".pub"));
  EXPECT_TRUE(Exists(org + ".key"));
  EXPECT_TRUE(Contains(r.out, "fingerprint ")) << r.out;
  // The secret half is not world-readable.
  struct stat st;
  ASSERT_EQ(::stat((org + ".key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u) << std::oct << st.st_mode;

  const std::string dir = Path("fresh-store");
  r = RunTvault({"init", "--store", dir, "--org-key", org + ".pub", "--kdf", "interactive",
                 "--monitor", "heron-03", "--passphrase-fd", "3"},
                "", kPassLine);
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "created store " + dir)) << r.out;
  EXPECT_TRUE(Exists(dir + "/store.key"));
  EXPECT_TRUE(Exists(dir + "/store.db"));
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u) << "store directory is open to others: " << std::oct
                                  << st.st_mode;

  const std::vector<std::string> on = {"--store", dir, "--passphrase-fd", "3"};
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.end(), on.begin(), on.end());
    return RunTvault(args, "", kPassLine);
  };
  r = run({"facility", "add", "--id", "XX-DET-09", "--name", "Test Holding Site", "--country",
           "HR", "--type", "detention"});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "added 1 facility")) << r.out;
  r = run({"facility", "add", "--from", World().facilities_jsonl});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  const size_t demo_count = CountLines(ReadFileOrDie(World().facilities_jsonl));
  EXPECT_GE(demo_count, 10u);
  EXPECT_TRUE(Contains(r.out, "added " + std::to_string(demo_count) + " facilities")) << r.out;

  r = run({"facility", "list", "--json"});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  std::vector<std::string> lines = SplitLines(r.out);
  ASSERT_EQ(lines.size(), demo_count + 1);
  bool found = false;
  for (const std::string& line : lines) {
    google::protobuf::Struct f = ParseJsonObject(line);
    if (Field(f, "id") != "XX-DET-09") continue;
    found = true;
    EXPECT_EQ(Field(f, "name"), "Test Holding Site");
    EXPECT_EQ(Field(f, "country"), "HR");
    EXPECT_EQ(Field(f, "type"), "DETENTION");
  }
  EXPECT_TRUE(found) << r.out;
  r = run({"facility", "list"});
  ASSERT_EQ(r.exit_code, kOk);
  EXPECT_TRUE(Contains(r.out, "XX-DET-09")) << r.out;
  EXPECT_TRUE(Contains(r.out, "Test Holding Site")) << r.out;

  // A bad type is a usage error and adds nothing.
  r = run({"facility", "add", "--id", "XX-DET-10", "--name", "x", "--country", "HR", "--type",
           "castle"});
  EXPECT_EQ(r.exit_code, kUsage) << Describe(r);
  r = run({"facility", "list"});
  EXPECT_FALSE(Contains(r.out, "XX-DET-10"));
}

TEST_F(MonitorWorkflowTest, AddFromJsonLinesArrayAndPrettyObjects) {
  RunResult demo = RunTvault({"demo-data", "--count", "5", "--seed", "11"});
  ASSERT_EQ(demo.exit_code, kOk) << Describe(demo);
  RunResult r = TvOk({"add", "--from", WriteWork("five.jsonl", demo.out)});
  EXPECT_TRUE(Contains(r.out, "added 5 testimonies")) << r.out;
  EXPECT_EQ(ListJson().size(), 5u);

  demo = RunTvault({"demo-data", "--count", "3", "--seed", "12"});
  std::vector<std::string> lines = SplitLines(demo.out);
  ASSERT_EQ(lines.size(), 3u);
  std::string array = "[\n  " + lines[0] + ",\n  " + lines[1] + ",\n  " + lines[2] + "\n]\n";
  r = TvOk({"add", "--from", WriteWork("three.json", array)});
  EXPECT_TRUE(Contains(r.out, "added 3 testimonies")) << r.out;
  EXPECT_EQ(ListJson().size(), 8u);

  r = TvOk({"add", "--from", kExamplePushback});
  EXPECT_TRUE(Contains(r.out, "added 1 testimony")) << r.out;
  r = TvOk({"add", "--from", kExampleFacility});
  EXPECT_TRUE(Contains(r.out, "added 1 testimony")) << r.out;

  std::vector<google::protobuf::Struct> rows = ListJson();
  ASSERT_EQ(rows.size(), 10u);
  std::vector<google::protobuf::Struct> facility = ListJson({"--kind", "facility"});
  std::vector<google::protobuf::Struct> pushback = ListJson({"--kind", "pushback"});
  EXPECT_EQ(facility.size() + pushback.size(), 10u);
  bool example_facility = false;
  for (const auto& f : facility) {
    EXPECT_EQ(Field(f, "kind"), "facility");
    if (Field(f, "facility_id") == "HR-DET-01" && Field(f, "incident_month") == "2026-10") {
      example_facility = true;
      EXPECT_EQ(Field(f, "people"), "40");
    }
  }
  EXPECT_TRUE(example_facility);
  for (const auto& p : pushback) EXPECT_EQ(Field(p, "kind"), "pushback");

  // Standard input works as a source too.
  r = Tv({"add", "--from", "-"}, ReadFileOrDie(kExamplePushback));
  EXPECT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_EQ(ListJson().size(), 11u);
}

TEST_F(MonitorWorkflowTest, ListTableMonthAndKindFilters) {
  const std::string a = AddOne(SamplePushback("m1"), "a.json");  // 2026-10-14
  v1::Testimony other = SamplePushback("m2");
  other.mutable_pushback()->set_incident_date("2025-03-02");
  other.mutable_pushback()->set_pushed_to("RS");
  other.mutable_pushback()->set_group_size(7);
  other.mutable_pushback()->set_minors_count(1);
  other.mutable_pushback()->clear_nationalities();
  const std::string b = AddOne(other, "b.json");

  RunResult r = TvOk({"list"});
  std::vector<std::string> lines = SplitLines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_TRUE(Contains(lines[0], "ID") && Contains(lines[0], "KIND") &&
              Contains(lines[0], "MONTH"))
      << lines[0];
  EXPECT_EQ(lines.back(), "2 records");
  EXPECT_TRUE(Contains(r.out, a.substr(0, 12)));
  EXPECT_TRUE(Contains(r.out, b.substr(0, 12)));
  EXPECT_TRUE(Contains(r.out, "HR -> RS"));
  EXPECT_TRUE(Contains(r.out, "2025-03"));

  std::vector<google::protobuf::Struct> rows = ListJson({"--month", "2025-03"});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Field(rows[0], "id"), b);
  EXPECT_EQ(Field(rows[0], "pushed_to"), "RS");
  EXPECT_EQ(Field(rows[0], "people"), "7");
  EXPECT_EQ(Field(rows[0], "version"), "1");
  EXPECT_EQ(Field(rows[0], "deleted"), "false");
  EXPECT_TRUE(ListJson({"--month", "2024-01"}).empty());
  EXPECT_TRUE(ListJson({"--kind", "facility"}).empty());
  EXPECT_EQ(ListJson({"--kind", "pushback", "--month", "2026-10"}).size(), 1u);

  EXPECT_EQ(Tv({"list", "--month", "2025-3"}).exit_code, kUsage);
  EXPECT_EQ(Tv({"list", "--kind", "boat"}).exit_code, kUsage);
  r = TvOk({"list", "--month", "2024-01"});
  EXPECT_TRUE(Contains(r.out, "0 records")) << r.out;
}

TEST_F(MonitorWorkflowTest, ShowKeepsIdentitySealedAndAcceptsPrefixes) {
  TvOk({"add", "--from", kExamplePushback});
  std::set<std::string> ids = Ids();
  ASSERT_EQ(ids.size(), 1u);
  const std::string id = *ids.begin();

  RunResult r = TvOk({"show", id.substr(0, 8)});
  EXPECT_TRUE(Contains(r.out, "record " + id + "  version 1  (pushback)")) << r.out;
  EXPECT_TRUE(Contains(r.out, "identity: [sealed]")) << r.out;
  EXPECT_TRUE(Contains(r.out, "pushback.group_size: 14")) << r.out;
  EXPECT_TRUE(Contains(r.out, "pushback.violence[2]: DOG_ATTACK")) << r.out;
  EXPECT_TRUE(Contains(r.out, "Police in dark uniforms stopped them")) << r.out;
  for (const char* secret : {"Example Person A", "+000 0000 0000", "example-a@example.invalid"}) {
    EXPECT_FALSE(Contains(r.out, secret)) << secret;
    EXPECT_FALSE(Contains(r.err, secret)) << secret;
  }
  r = TvOk({"show", id, "--json"});
  for (const char* secret : {"Example Person A", "+000 0000 0000", "example-a@example.invalid"}) {
    EXPECT_FALSE(Contains(r.out, secret)) << secret;
  }
  v1::Testimony t = ShowJson(id.substr(0, 6));
  EXPECT_EQ(t.id(), id);
  EXPECT_FALSE(t.has_identity());
  EXPECT_FALSE(t.sealed_identity().empty());
  EXPECT_EQ(t.monitor_id(), "kestrel-07");
  EXPECT_EQ(t.pushback().group_size(), 14u);
  EXPECT_EQ(t.pushback().perpetrators(0).unit_as_seen(),
            "dark blue uniforms, balaclavas, white and blue van");

  r = Tv({"show", id.substr(0, 5)});
  EXPECT_EQ(r.exit_code, kUsage) << Describe(r);
  std::string missing = id.substr(0, 8);
  missing[0] = missing[0] == 'f' ? '0' : 'f';
  r = Tv({"show", missing});
  EXPECT_EQ(r.exit_code, kNotFound) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "no record")) << r.err;
  r = Tv({"show", id, "--version", "2"});
  EXPECT_EQ(r.exit_code, kNotFound) << Describe(r);
}

TEST_F(MonitorWorkflowTest, ShowJsonRoundTripsThroughEditAndKeepsHistory) {
  TvOk({"add", "--from", kExamplePushback});
  const std::string id = *Ids().begin();
  v1::Testimony v1_json = ShowJson(id);

  // The unmodified output of show --json is accepted by edit --from.
  RunResult shown = TvOk({"show", id, "--json"});
  RunResult r = TvOk({"edit", id, "--from", WriteWork("same.json", shown.out)});
  EXPECT_EQ(r.out, "stored version 2 of " + id + "\n");

  v1::Testimony changed = ShowJson(id);
  changed.mutable_pushback()->set_group_size(15);
  changed.set_narrative("A corrected narrative.");
  r = TvOk({"edit", id.substr(0, 10), "--from", WriteWork("changed.json", ToJson(changed))});
  EXPECT_EQ(r.out, "stored version 3 of " + id + "\n");

  v1::Testimony latest = ShowJson(id);
  EXPECT_EQ(latest.pushback().group_size(), 15u);
  EXPECT_EQ(latest.narrative(), "A corrected narrative.");
  EXPECT_EQ(latest.sealed_identity(), v1_json.sealed_identity()) << "identity not kept";
  v1::Testimony first = ShowJson(id, {"--version", "1"});
  EXPECT_EQ(first.pushback().group_size(), 14u);
  EXPECT_EQ(first.narrative(), v1_json.narrative());

  r = TvOk({"show", id, "--history"});
  EXPECT_TRUE(Contains(r.out, "version 1  (pushback)")) << r.out;
  EXPECT_TRUE(Contains(r.out, "version 2  (pushback)")) << r.out;
  EXPECT_TRUE(Contains(r.out, "version 3  (pushback)")) << r.out;
  EXPECT_LT(r.out.find("version 1 "), r.out.find("version 3 "));
  r = TvOk({"show", id, "--history", "--json"});
  EXPECT_EQ(SplitLines(r.out).size(), 3u) << r.out;

  std::vector<google::protobuf::Struct> rows = ListJson();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Field(rows[0], "version"), "3");
  EXPECT_EQ(Field(rows[0], "people"), "15");

  // A file of two testimonies is not an edit.
  RunResult two = RunTvault({"demo-data", "--count", "2"});
  r = Tv({"edit", id, "--from", WriteWork("two.jsonl", two.out)});
  EXPECT_EQ(r.exit_code, kInvalidInput) << Describe(r);
  EXPECT_EQ(Field(ListJson()[0], "version"), "3");
}

TEST_F(MonitorWorkflowTest, DeleteStoresATombstoneAndHidesTheRecord) {
  const std::string keep = AddOne(SamplePushback("k"), "k.json");
  const std::string gone = AddOne(SamplePushback("g"), "g.json");
  RunResult r = TvOk({"delete", gone.substr(0, 12), "--reason", "duplicate of " + keep});
  EXPECT_TRUE(Contains(r.out, "deleted " + gone)) << r.out;

  EXPECT_EQ(Ids(), std::set<std::string>{keep});
  std::vector<google::protobuf::Struct> all = ListJson({"--deleted"});
  ASSERT_EQ(all.size(), 2u);
  for (const auto& row : all) {
    if (Field(row, "id") != gone) continue;
    EXPECT_EQ(Field(row, "deleted"), "true");
    EXPECT_EQ(Field(row, "version"), "2");
    EXPECT_EQ(Field(row, "delete_reason"), "duplicate of " + keep);
  }
  r = TvOk({"list", "--deleted"});
  EXPECT_TRUE(Contains(r.out, "[deleted]")) << r.out;
  EXPECT_TRUE(Contains(r.out, "2 records")) << r.out;

  // History is kept: version 1 still readable, version 2 is the tombstone.
  EXPECT_EQ(ShowJson(gone, {"--version", "1"}).pushback().group_size(), 12u);
  r = TvOk({"show", gone, "--history"});
  EXPECT_TRUE(Contains(r.out, "DELETED: duplicate of " + keep)) << r.out;

  r = Tv({"edit", gone, "--from", kExamplePushback});
  EXPECT_EQ(r.exit_code, kInvalidInput) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "deleted")) << r.err;
  r = Tv({"edit", gone}, "\n\n\n");
  EXPECT_EQ(r.exit_code, kInvalidInput) << Describe(r);
  EXPECT_EQ(Tv({"delete", keep}).exit_code, kUsage);  // --reason is required
  EXPECT_EQ(Ids(), std::set<std::string>{keep});
}

TEST_F(MonitorWorkflowTest, StoreDefaultsToTheEnvironment) {
  const std::vector<std::string> env = {"TVAULT_STORE=" + store()};
  RunResult r = RunTvault({"add", "--from", kExamplePushback, "--passphrase-fd", "3"}, "",
                          kPassLine, env);
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  r = RunTvault({"list", "--json", "--passphrase-fd", "3"}, "", kPassLine, env);
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_EQ(SplitLines(r.out).size(), 1u);

  // init also takes it.
  const std::string other = Path("env-store");
  r = RunTvault({"init", "--org-key", World().org_pub, "--kdf", "interactive", "--passphrase-fd",
                 "3"},
                "", kPassLine, {"TVAULT_STORE=" + other});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Exists(other + "/store.key"));

  // Without either, a usage error that says what to do.
  r = RunTvault({"list", "--passphrase-fd", "3"}, "", kPassLine);
  EXPECT_EQ(r.exit_code, kUsage) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "--store")) << r.err;
}

TEST_F(MonitorWorkflowTest, AuditLogListsEveryChange) {
  const std::string id = AddOne(SamplePushback("log"));
  v1::Testimony t = ShowJson(id);
  t.mutable_pushback()->set_group_size(13);
  TvOk({"edit", id, "--from", WriteWork("e.json", ToJson(t))});
  TvOk({"delete", id, "--reason", "test"});

  RunResult r = TvOk({"log", "show", "--json"});
  // The actor is the checkpoint key id printed in the middle of `log key`'s verifier key.
  const std::string key = TvOk({"log", "key"}).out;
  const std::string key_id = key.substr(key.find('+') + 1, 8);
  std::vector<std::pair<std::string, std::string>> seen;  // action, version
  long long last_seq = 0;
  for (const std::string& line : SplitLines(r.out)) {
    google::protobuf::Struct e = ParseJsonObject(line);
    long long seq = std::stoll(Field(e, "seq"));
    EXPECT_GT(seq, last_seq);
    last_seq = seq;
    EXPECT_EQ(Field(e, "actor"), key_id);
    if (Field(e, "record_id") == id || Field(e, "action") == "init") {
      seen.emplace_back(Field(e, "action"), Field(e, "record_version"));
    }
  }
  ASSERT_EQ(seen.size(), 4u) << r.out;
  EXPECT_EQ(seen[0].first, "init");
  EXPECT_EQ(seen[1], std::make_pair(std::string("add"), std::string("1")));
  EXPECT_EQ(seen[2], std::make_pair(std::string("edit"), std::string("2")));
  EXPECT_EQ(seen[3], std::make_pair(std::string("delete"), std::string("3")));

  r = TvOk({"log", "show"});
  EXPECT_TRUE(Contains(r.out, "init"));
  EXPECT_TRUE(Contains(r.out, "add ") && Contains(r.out, id + " v1")) << r.out;
  EXPECT_TRUE(Contains(r.out, id + " v2") && Contains(r.out, id + " v3")) << r.out;
  // The audit log carries no narrative or identity.
  EXPECT_FALSE(Contains(r.out, "log-narrative"));
  EXPECT_FALSE(Contains(r.out, "log-name"));
}

TEST(MonitorHelpTest, EverySubcommandHasHelp) {
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> cases = {
      {{}, {"init", "add", "list", "show", "edit", "delete", "passwd", "wipe", "facility",
            "demo-data", "log", "keys", "--passphrase-fd"}},
      {{"keys"}, {"new-org"}},
      {{"keys", "new-org"}, {"--out", "--kdf", "--key-passphrase-fd"}},
      {{"init"}, {"--store", "--org-key", "--monitor", "--kdf", "--passphrase-fd"}},
      {{"add"}, {"--from", "--store", "--passphrase-fd", "pushback"}},
      {{"list"}, {"--kind", "--month", "--deleted", "--json", "--store"}},
      {{"show"}, {"--version", "--history", "--json", "--store"}},
      {{"edit"}, {"--from", "--store", "--passphrase-fd"}},
      {{"delete"}, {"--reason", "--store"}},
      {{"passwd"}, {"--new-passphrase-fd", "--passphrase-fd", "--kdf"}},
      {{"wipe"}, {"--store", "--yes"}},
      {{"facility"}, {"add", "list"}},
      {{"facility", "add"},
       {"--id", "--name", "--country", "--type", "--from", "--operated-for", "--operator"}},
      {{"facility", "list"}, {"--json", "--store"}},
      {{"demo-data"}, {"--count", "--seed", "--until", "--facilities"}},
      {{"log"}, {"show"}},
      {{"log", "show"}, {"--json", "--store"}},
  };
  for (const auto& [cmd, options] : cases) {
    std::vector<std::string> args = cmd;
    args.push_back("--help");
    RunResult r = RunTvault(args);
    std::string name = "tvault";
    for (const std::string& c : cmd) name += " " + c;
    EXPECT_EQ(r.exit_code, kOk) << name << ": " << Describe(r);
    for (const std::string& o : options) {
      EXPECT_TRUE(Contains(r.out, o)) << name << " --help does not mention " << o << "\n" << r.out;
    }
  }
  RunResult r = RunTvault({"no-such-command"});
  EXPECT_EQ(r.exit_code, kUsage) << Describe(r);
}

TEST(MonitorDemoDataTest, DeterministicForASeed) {
  RunResult a = RunTvault({"demo-data", "--count", "40", "--seed", "7", "--until", "2026-06"});
  RunResult b = RunTvault({"demo-data", "--count", "40", "--seed", "7", "--until", "2026-06"});
  RunResult c = RunTvault({"demo-data", "--count", "40", "--seed", "8", "--until", "2026-06"});
  ASSERT_EQ(a.exit_code, kOk) << Describe(a);
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  std::vector<std::string> lines = SplitLines(a.out);
  ASSERT_EQ(lines.size(), 40u);
  for (const std::string& line : lines) {
    v1::Testimony t;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &t).ok()) << line;
    std::string date =
        t.kind() == v1::PUSHBACK ? t.pushback().incident_date() : t.facility().period_start();
    EXPECT_GE(date, "2025-07-01") << line;
    EXPECT_LE(date, "2026-06-30") << line;
  }
  RunResult f1 = RunTvault({"demo-data", "--facilities"});
  RunResult f2 = RunTvault({"demo-data", "--facilities"});
  ASSERT_EQ(f1.exit_code, kOk);
  EXPECT_EQ(f1.out, f2.out);
  std::set<std::string> ids;
  for (const std::string& line : SplitLines(f1.out)) {
    v1::Facility f;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &f).ok()) << line;
    EXPECT_TRUE(ids.insert(f.id()).second) << "duplicate facility id " << f.id();
  }
  EXPECT_TRUE(ids.count("HR-DET-01"));  // docs/examples/facility.json refers to it
  EXPECT_EQ(RunTvault({"demo-data", "--until", "2026-13"}).exit_code, kUsage);
}

// Today (UTC) as YYYY-MM-DD, and the month `delta` months from the current one as YYYY-MM.
std::string UtcToday() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string MonthFromNow(int delta) {
  const std::string today = UtcToday();
  int months = std::stoi(today.substr(0, 4)) * 12 + std::stoi(today.substr(5, 2)) - 1 + delta;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", months / 12, months % 12 + 1);
  return buf;
}

// Validation refuses a date after today, so demo data must never make one: with --until the
// current or the previous month, no incident, stay or interview falls on or after today (a stay
// ran up to 24 days past the month's end, into the future), and every record loads into a
// store today. An --until after the current month is refused.
TEST_F(MonitorWorkflowTest, DemoDataHasNoDateOnOrAfterTodayAndLoadsToday) {
  const std::string today = UtcToday();
  for (int delta : {0, -1}) {
    const std::string until = MonthFromNow(delta);
    RunResult r = RunTvault({"demo-data", "--count", "300", "--seed", "5", "--until", until});
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
    int in_until_month = 0;
    for (const std::string& line : SplitLines(r.out)) {
      v1::Testimony t;
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &t).ok()) << line;
      std::vector<std::string> dates = {t.pushback().incident_date(),
                                        t.facility().period_start(), t.facility().period_end()};
      for (const std::string& d : dates) {
        if (d.empty()) continue;
        EXPECT_LT(d, today) << until << ": " << line;
        if (d.substr(0, 7) == until) ++in_until_month;
      }
      const std::string recorded = google::protobuf::util::TimeUtil::ToString(t.recorded_at());
      EXPECT_LT(recorded.substr(0, 10), today) << until << ": " << line;
    }
    // The window still reaches into the --until month (unless it is today's first day).
    if (delta == -1 || today.substr(8) != "01") EXPECT_GT(in_until_month, 0) << until;
    const std::string file = WriteWork("demo-" + until + ".jsonl", r.out);
    r = TvOk({"add", "--from", file});
    EXPECT_TRUE(Contains(r.out, "added 300 testimonies")) << r.out;
  }
  RunResult r = RunTvault({"demo-data", "--count", "3", "--until", MonthFromNow(1)});
  EXPECT_EQ(r.exit_code, kUsage) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "is after the current month")) << r.err;

  // And validation refuses a stay that ends after today, naming the field.
  const std::string tomorrow = google::protobuf::util::TimeUtil::ToString(
      google::protobuf::util::TimeUtil::GetCurrentTime() +
      google::protobuf::util::TimeUtil::SecondsToDuration(86400)).substr(0, 10);
  const std::string stay = R"({"kind":"FACILITY","monitor_id":"kestrel-07","facility":{
      "facility_id":"HR-DET-01","stay_kind":"STAY","period_start":")" + today +
      R"(","period_end":")" + tomorrow + R"("}})";
  r = Tv({"add", "--from", WriteWork("stay.json", stay)});
  EXPECT_EQ(r.exit_code, kInvalidInput) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "facility.period_end")) << r.err;
  EXPECT_TRUE(Contains(r.err, "is after today")) << r.err;
}

}  // namespace
}  // namespace tvault::testing
