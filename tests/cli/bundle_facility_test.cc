// Facilities travel with the testimonies that refer to them: a bundle carries their registry
// entries; import adds those the central store does not know and reports, without changing
// its own entry, one it knows with another name or type.
#include "cli/bundle_fixture.h"

namespace tvault::testing {
namespace {

class BundleFacilityTest : public BundleCliTest {
 protected:
  // A new central store without any facility, trusting ana.
  std::string EmptyCentral(const std::string& name) {
    const std::string dir = Path(name);
    RunResult r = RunTvault({"init", "--store", dir, "--org-key", World().org_pub, "--kdf",
                             "interactive", "--monitor", "central", "--passphrase-fd", "3"},
                            "", kPassLine);
    EXPECT_EQ(r.exit_code, kOk) << Describe(r);
    r = On(dir, {"trust", "add", Path("ana.pub"), "--name", "ana"});
    EXPECT_EQ(r.exit_code, kOk) << Describe(r);
    return dir;
  }

  RunResult On(const std::string& dir, std::vector<std::string> args,
               const std::string& fd3 = kPassLine) {
    args.insert(args.end(), {"--store", dir, "--passphrase-fd", "3"});
    return RunTvault(args, "", fd3);
  }

  RunResult ImportInto(const std::string& dir, const std::string& file) {
    return On(dir,
              {"bundle", "import", "--org-secret", World().org_key, "--key-passphrase-fd", "3",
               file},
              kTwoPassLines);
  }

  // The registry entry `id` of the store at `dir`, as `facility list --json` prints it.
  std::string FacilityLine(const std::string& dir, const std::string& id) {
    RunResult r = On(dir, {"facility", "list", "--json"});
    EXPECT_EQ(r.exit_code, kOk) << Describe(r);
    for (const std::string& line : SplitLines(r.out)) {
      if (Contains(line, "\"" + id + "\"")) return line;
    }
    return "";
  }
};

TEST_F(BundleFacilityTest, AFacilityTestimonyArrivesWithItsFacility) {
  const std::string id = AddOne(SampleFacility("HR-DET-01", "mk-f"), "f.json");
  AddOne(SamplePushback("mk-p"), "p.json");
  ASSERT_EQ(Export(Path("b.tvb")).exit_code, kOk);
  const std::string central = EmptyCentral("empty-central");
  EXPECT_EQ(FacilityLine(central, "HR-DET-01"), "");

  RunResult r = ImportInto(central, Path("b.tvb"));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "b.tvb: new 2,")) << r.out;
  EXPECT_TRUE(Contains(r.out, "b.tvb: facility HR-DET-01 added to the registry")) << r.out;
  // The same entry as the monitor's, and the only one: the bundle carries the facilities its
  // testimonies refer to, not the whole registry.
  const std::string mine = FacilityLine(store(), "HR-DET-01");
  ASSERT_FALSE(mine.empty());
  EXPECT_EQ(FacilityLine(central, "HR-DET-01"), mine);
  EXPECT_EQ(SplitLines(On(central, {"facility", "list", "--json"}).out).size(), 1u);
  // The testimony's country comes from its facility, as on the monitor's device.
  RunResult list = On(central, {"list", "--json", "--kind", "facility"});
  ASSERT_EQ(SplitLines(list.out).size(), 1u) << list.out;
  auto row = ParseJsonObject(SplitLines(list.out)[0]);
  EXPECT_EQ(Field(row, "id"), id);
  EXPECT_EQ(Field(row, "country"), "HR");
  EXPECT_TRUE(Contains(On(central, {"log", "show"}).out, "facility-add")) << "logged";

  // Imported again: nothing new, nothing written.
  const auto before = ReadTree(central);
  r = ImportInto(central, Path("b.tvb"));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_FALSE(Contains(r.out, "added to the registry")) << r.out;
  EXPECT_TRUE(ReadTree(central) == before);
}

TEST_F(BundleFacilityTest, AFacilityThatDiffersIsReportedNotOverwritten) {
  AddOne(SampleFacility("HR-DET-01", "mk-f"), "f.json");
  ASSERT_EQ(Export(Path("b.tvb")).exit_code, kOk);
  const std::string central = EmptyCentral("other-central");
  RunResult r = On(central, {"facility", "add", "--id", "HR-DET-01", "--name", "Renamed centre",
                             "--country", "HR", "--type", "reception"});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  const std::string theirs = FacilityLine(central, "HR-DET-01");

  r = ImportInto(central, Path("b.tvb"));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "b.tvb: facility differs, this store's entry is kept: HR-DET-01: "
                              "here \"Renamed centre\" (reception, HR); in the bundle \""))
      << r.out;
  EXPECT_TRUE(Contains(r.out, "(detention, HR)")) << r.out;
  EXPECT_EQ(FacilityLine(central, "HR-DET-01"), theirs) << "the central entry is kept";
  EXPECT_TRUE(Contains(r.out, "b.tvb: new 1,")) << r.out;
}

// Inputs are checked before any passphrase is asked: a missing bundle or key file fails at
// once (fd 3 empty: a passphrase read would fail with another message).
TEST_F(BundleFacilityTest, MissingInputsFailBeforeAnyPassphrase) {
  RunResult r = On(central_, {"bundle", "import", "--org-secret", World().org_key,
                              "--key-passphrase-fd", "3", Path("nothere.tvb")},
                   "");
  EXPECT_EQ(r.exit_code, kNotFound) << Describe(r);
  EXPECT_EQ(r.err, "tvault: " + Path("nothere.tvb") + ": No such file or directory\n");
  r = On(Path("no-store"), {"list"}, "");
  EXPECT_EQ(r.exit_code, kNotFound) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "no tvault store here")) << r.err;
}

}  // namespace
}  // namespace tvault::testing
