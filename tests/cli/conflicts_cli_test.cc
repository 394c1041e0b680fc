// Conflicts that can be judged: `tvault conflicts` shows where each competing version came
// from and how the versions differ; `show --version TOKEN` shows any of them; `resolve` takes
// an id prefix like every other command; one key id format everywhere; parser errors.
#include "cli/bundle_fixture.h"

namespace tvault::testing {
namespace {

// The key id `trust add` printed: "trusted ana (key id KEYID)...".
std::string TrustedKeyId(const RunResult& r) {
  const std::string tag = "(key id ";
  const size_t at = r.out.find(tag);
  if (at == std::string::npos) return "";
  return r.out.substr(at + tag.size(), r.out.find(')', at) - at - tag.size());
}

class ConflictsCliTest : public BundleCliTest {
 protected:
  // A record edited on both sides since they last met: the central store changes the group
  // size, the monitor the group size and the narrative.
  std::string MakeConflict() {
    std::string id = AddOne(SamplePushback("mk-a"), "a.json");
    EXPECT_EQ(Export(Path("base.tvb")).exit_code, kOk);
    RunResult r = OnCentral({"trust", "add", Path("ana.pub"), "--name", "ana"});
    EXPECT_EQ(r.exit_code, kOk) << Describe(r);
    key_id_ = TrustedKeyId(r);
    EXPECT_EQ(Import({Path("base.tvb")}).exit_code, kOk);
    tvault::v1::Testimony t = ShowJson(id);
    t.mutable_pushback()->set_group_size(14);
    EXPECT_EQ(OnCentral({"edit", id, "--from", WriteWork("c.json", ToJson(t))}).exit_code, kOk);
    t = ShowJson(id);
    t.mutable_pushback()->set_group_size(13);
    t.set_narrative(t.narrative() + " Monitor note.");
    TvOk({"edit", id, "--from", WriteWork("m.json", ToJson(t))});
    EXPECT_EQ(Export(Path("edit.tvb")).exit_code, kOk);
    r = Import({Path("edit.tvb")});
    EXPECT_TRUE(Contains(r.out, "conflicting 1")) << r.out;
    return id;
  }

  std::vector<std::string> Tokens(const std::string& out) {
    std::vector<std::string> tokens;
    for (const std::string& line : SplitLines(out)) {
      if (line.rfind("  2:", 0) == 0) tokens.push_back(line.substr(2, line.find(' ', 2) - 2));
    }
    return tokens;
  }

  std::string key_id_;
};

TEST_F(ConflictsCliTest, EachVersionShowsItsOriginAndTheDifference) {
  const std::string id = MakeConflict();
  ASSERT_FALSE(key_id_.empty());
  std::string monitor_store = TvOk({"log", "key"}).out.substr(13, 12);
  std::string central_store = OnCentral({"log", "key"}).out.substr(13, 12);
  RunResult r = OnCentral({"conflicts"});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  // Origins: the monitor's version came in ana's bundle from the monitor's store; the other
  // was made here.
  EXPECT_TRUE(Contains(r.out, "from store " + monitor_store + ", signer " + key_id_ +
                                  " \"ana\", received "))
      << r.out;
  EXPECT_TRUE(Contains(r.out, "made in this store (" + central_store)) << r.out;
  // The difference, field by field, against the agreed version 1.
  EXPECT_TRUE(Contains(r.out, "differences, field by field:")) << r.out;
  EXPECT_TRUE(Contains(r.out, "    pushback.group_size:\n      1 (agreed): 12\n")) << r.out;
  EXPECT_TRUE(Contains(r.out, ": 14\n")) << r.out;
  EXPECT_TRUE(Contains(r.out, ": 13\n")) << r.out;
  EXPECT_TRUE(Contains(r.out, "    narrative:\n")) << r.out;
  EXPECT_FALSE(Contains(r.out, "Monitor note.")) << "free text is not repeated in the difference";
  EXPECT_FALSE(Contains(r.out, "pushback.incident_date:")) << "only fields that differ";

  // Each competing version can be shown by its token.
  const std::vector<std::string> tokens = Tokens(r.out);
  ASSERT_EQ(tokens.size(), 2u) << r.out;
  std::set<std::string> groups;
  for (const std::string& token : tokens) {
    RunResult shown = OnCentral({"show", id.substr(0, 8), "--version", token, "--json"});
    ASSERT_EQ(shown.exit_code, kOk) << Describe(shown);
    tvault::v1::Testimony t;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(shown.out, &t).ok()) << shown.out;
    groups.insert(std::to_string(t.pushback().group_size()));
  }
  EXPECT_EQ(groups, (std::set<std::string>{"13", "14"}));
  EXPECT_EQ(OnCentral({"show", id, "--version", "2:zz"}).exit_code, kInvalidInput);
  EXPECT_EQ(OnCentral({"show", id, "--version", "3:00"}).exit_code, kNotFound);

  // resolve takes an id prefix; edit of the conflicted record is refused before any question.
  RunResult edit = OnCentral({"edit", id.substr(0, 8)});
  EXPECT_EQ(edit.exit_code, kInvalidInput) << Describe(edit);
  EXPECT_TRUE(Contains(edit.err, "has a conflict")) << edit.err;
  EXPECT_FALSE(Contains(edit.out, "?")) << "no question was asked: " << edit.out;
  r = OnCentral({"resolve", id.substr(0, 8), "--keep", tokens[0]});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "resolved " + id)) << r.out;
  EXPECT_TRUE(Contains(OnCentral({"conflicts"}).out, "no conflicts"));
  // A prefix of a record without a conflict says so, naming the whole id.
  r = OnCentral({"resolve", id.substr(0, 8), "--keep", "2"});
  EXPECT_EQ(r.exit_code, kNotFound) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "record " + id + " has no conflict")) << r.err;
}

// The key id trust add prints is the one the audit log and trust list show: the minisign form.
TEST_F(ConflictsCliTest, OneKeyIdFormatEverywhere) {
  RunResult r = OnCentral({"trust", "add", Path("ana.pub"), "--name", "ana"});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  const std::string key_id = TrustedKeyId(r);
  ASSERT_GE(key_id.size(), 15u) << r.out;
  // minisign -G prints the same id in its public key's comment line.
  EXPECT_TRUE(Contains(ReadFileOrDie(Path("ana.pub")), key_id)) << ReadFileOrDie(Path("ana.pub"));
  EXPECT_TRUE(Contains(OnCentral({"trust", "list"}).out, "ana\t" + key_id + "\t"));
  ASSERT_EQ(OnCentral({"trust", "remove", key_id}).exit_code, kOk);
  const std::string log = OnCentral({"log", "show"}).out;
  EXPECT_TRUE(Contains(log, "trust-add          " + key_id + " v0")) << log;
  EXPECT_TRUE(Contains(log, "trust-remove       " + key_id + " v0")) << log;
  std::string lower = key_id;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_FALSE(Contains(log, lower)) << log;
}

TEST_F(ConflictsCliTest, ParserErrorsAreOneLineWithASuggestion) {
  RunResult r = RunTvault({"lsit"});
  EXPECT_EQ(r.exit_code, kUsage);
  EXPECT_EQ(r.err, "tvault: unknown command \"lsit\"; did you mean `list`?\n");
  r = RunTvault({"drafts", "resum", "abcd"});
  EXPECT_EQ(r.exit_code, kUsage);
  EXPECT_EQ(r.err, "tvault: unknown command \"resum\"; did you mean `drafts resume`?\n");
  r = RunTvault({"list", "--jsn"});
  EXPECT_EQ(r.exit_code, kUsage);
  EXPECT_TRUE(Contains(r.err, "did you mean `--json`?")) << r.err;
  EXPECT_EQ(r.err.rfind("tvault: ", 0), 0u) << r.err;
  EXPECT_EQ(SplitLines(r.err).size(), 1u) << r.err;
  r = RunTvault({"delete", "abcdef"});  // --reason is required
  EXPECT_EQ(r.exit_code, kUsage);
  EXPECT_EQ(r.err.rfind("tvault: ", 0), 0u) << r.err;
  EXPECT_TRUE(Contains(r.err, "(see `tvault delete --help`)")) << r.err;
  EXPECT_EQ(SplitLines(r.err).size(), 1u) << r.err;
  EXPECT_EQ(RunTvault({"--help"}).exit_code, kOk);
}

}  // namespace
}  // namespace tvault::testing
