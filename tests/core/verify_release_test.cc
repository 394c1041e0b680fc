// `tvault verify` on reports of the release basis (docs/auditing.md, section 4): the year to
// date of a release is the previous release's plus its own tables exactly, even across a month
// with no release; a category a release does not list is a known zero; the revision is linked
// to the last release through its hidden tables; the earlier releases may be given in any
// order, and an altered one fails integrity. Report folders are made by hand
// (tests/testing/report_forge.h), rendered and signed with a fresh key.
#include <gtest/gtest.h>

#include <algorithm>

#include "testing/report_forge.h"
#include "testing/test_util.h"
#include "tvault/report.h"
#include "tvault/verify.h"

namespace tvault {
namespace {

using testing::CheckOf;
using testing::Dump;
using testing::Folder;
using testing::MakeTable;
using testing::Names;

class VerifyReleaseTest : public ::testing::Test {
 protected:
  void SetUp() override { signer_.emplace(*SignerSecretKey::Generate()); }

  // A report of `month` with `tables`: of the release basis (following `previous`, "" for the
  // year's first release) unless `old_basis`, or the year's revision when `revision`.
  Folder Make(const std::string& month, const std::string& previous,
              const std::vector<v1::ReportTable>& tables, bool old_basis = false,
              bool revision = false) {
    testing::Forged f = testing::MakeReport(month, tables, "", "");
    if (!old_basis) {
      f.report.set_basis("release");
      f.report.set_kind(revision ? "revision" : "monthly");
      f.report.set_previous_release(previous);
    }
    uint32_t published = 0, suppressed = 0;
    for (const v1::ReportTable& t : tables) {
      for (const v1::ReportCell& c : t.cells()) (c.has_count() ? published : suppressed)++;
    }
    f.manifest.set_cells_published(published);
    f.manifest.set_cells_suppressed(suppressed);
    return testing::Render(f.report, f.manifest, *signer_);
  }

  std::string Put(const std::string& name, const Folder& folder) {
    const std::string dir = tmp_ / name;
    testing::WriteFolder(dir, folder);
    return dir;
  }

  VerifyResult Verify(const std::string& dir, const std::vector<std::string>& previous) {
    VerifyRequest req;
    req.signer = signer_->public_key();
    req.report = *ReadReportFolder(dir);
    for (const std::string& p : previous) req.previous.push_back(*ReadReportFolder(p));
    Result<VerifyResult> r = VerifyReport(req);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : VerifyResult();
  }

  testing::TempDir tmp_;
  std::optional<SignerSecretKey> signer_;
};

v1::ReportTable Nat(const std::string& period, const std::vector<std::string>& labels,
                    const std::vector<uint32_t>& counts,
                    const std::set<std::vector<std::string>>& suppressed = {}) {
  return MakeTable("people_by_nationality", period, 5, labels, {}, {counts}, suppressed);
}

// Releases of January and March (February had none). March hides [SY] = 1 of its own table (1
// to 7 fit) and the total of its year to date. Before the release basis, the year to date of
// March was January's plus an unknown February, so its total was unbounded and [SY] kept its
// range; a release counts everything it did not count before, so the year to date is exactly
// 10 + 8 and gives [SY] away.
TEST_F(VerifyReleaseTest, SkippedMonthIsLinkedExactly) {
  const std::vector<v1::ReportTable> jan = {Nat("month", {"AF", "SY"}, {10, 0}),
                                            Nat("year_to_date", {"AF", "SY"}, {10, 0})};
  const std::vector<v1::ReportTable> mar = {
      Nat("month", {"AF", "SY"}, {7, 1}, {{"AF"}, {"SY"}}),
      Nat("year_to_date", {"AF", "SY"}, {17, 1}, {{"SY"}, {"Total"}})};
  const std::string old_jan = Put("old-01", Make("2026-01", "", jan, true));
  const std::string old_mar = Put("old-03", Make("2026-03", "", mar, true));
  VerifyResult old = Verify(old_mar, {old_jan});
  EXPECT_TRUE(CheckOf(old, kCheckShape).passed()) << Dump(CheckOf(old, kCheckShape));
  EXPECT_TRUE(CheckOf(old, kCheckAttack).passed()) << Dump(CheckOf(old, kCheckAttack));

  const std::string rel_jan = Put("rel-01", Make("2026-01", "", jan));
  const std::string rel_mar = Put("rel-03", Make("2026-03", "2026-01", mar));
  VerifyResult r = Verify(rel_mar, {rel_jan});
  EXPECT_TRUE(CheckOf(r, kCheckShape).passed()) << Dump(CheckOf(r, kCheckShape));
  EXPECT_TRUE(Names(CheckOf(r, kCheckAttack), "month/people_by_nationality", "[SY]",
                    "exact disclosure: the published numbers give it as 1"))
      << Dump(CheckOf(r, kCheckAttack));
  // March alone, without the release it follows: the attack cannot be judged.
  VerifyResult alone = Verify(rel_mar, {});
  EXPECT_TRUE(Names(CheckOf(alone, kCheckAttack), "", "",
                    "release 2026-03 follows 2026-01, which was not given (--previous)"))
      << Dump(CheckOf(alone, kCheckAttack));
}

// Nationality SY is first seen in March's release, so January's and February's tables do not
// list it. "other" cannot be linked between February and March (their nationalities differ),
// so without knowing that February's SY was 0, March's [other] = 2 keeps the range 1 to 13;
// with it, year to date [SY] of March is March's own [SY], which leaves [other] = 2 alone.
TEST_F(VerifyReleaseTest, CategoryFirstSeenLaterIsAKnownZeroBefore) {
  const std::vector<std::string> before = {"AF", "other"}, after = {"AF", "SY", "other"};
  const std::vector<v1::ReportTable> jan = {Nat("month", before, {5, 0}),
                                            Nat("year_to_date", before, {5, 0})};
  const std::vector<v1::ReportTable> feb = {Nat("month", before, {5, 7}),
                                            Nat("year_to_date", before, {10, 7})};
  const std::vector<v1::ReportTable> mar = {
      Nat("month", after, {12, 1, 2}, {{"AF"}, {"SY"}, {"other"}}),
      Nat("year_to_date", after, {22, 1, 9}, {{"AF"}, {"SY"}})};
  VerifyResult old = Verify(Put("o3", Make("2026-03", "", mar, true)),
                            {Put("o1", Make("2026-01", "", jan, true)),
                             Put("o2", Make("2026-02", "", feb, true))});
  EXPECT_TRUE(CheckOf(old, kCheckAttack).passed()) << Dump(CheckOf(old, kCheckAttack));

  VerifyResult r = Verify(Put("r3", Make("2026-03", "2026-02", mar)),
                          {Put("r1", Make("2026-01", "", jan)),
                           Put("r2", Make("2026-02", "2026-01", feb))});
  EXPECT_TRUE(CheckOf(r, kCheckShape).passed()) << Dump(CheckOf(r, kCheckShape));
  EXPECT_TRUE(Names(CheckOf(r, kCheckAttack), "month/people_by_nationality", "[other]",
                    "exact disclosure: the published numbers give it as 2"))
      << Dump(CheckOf(r, kCheckAttack));
}

// A record of March's release (nationality SY, 1 person) is deleted; the revision publishes the
// year as it stands now, with [SY] = 0. The revision is linked to March's year to date through
// its hidden tables (kept, added, removed): the reader learns that one more person was removed
// than added, but not of which nationality, since "kept = 0, added = revision, removed = year to
// date" always fits (docs/auditing.md, "Limits"). The revision's files are signed as a
// revision's: a revision file passed off as the monthly release's fails integrity.
TEST_F(VerifyReleaseTest, RevisionIsLinkedAndSignedAsARevision) {
  const std::vector<std::string> nat = {"AF", "IQ", "SY"};
  const std::vector<v1::ReportTable> jan = {Nat("month", nat, {10, 6, 0}),
                                            Nat("year_to_date", nat, {10, 6, 0})};
  const std::vector<v1::ReportTable> mar = {
      Nat("month", nat, {8, 6, 1}, {{"SY"}, {"IQ"}}),
      Nat("year_to_date", nat, {18, 12, 1}, {{"SY"}, {"IQ"}})};
  const std::string r1 = Put("v1", Make("2026-01", "", jan));
  const std::string r3 = Put("v3", Make("2026-03", "2026-01", mar));
  Folder rev = Make("2026-03", "2026-03", {Nat("revision", nat, {18, 12, 0})}, false, true);
  const std::string rev_dir = Put("rev", rev);
  VerifyResult r = Verify(rev_dir, {r3, r1});
  EXPECT_TRUE(CheckOf(r, kCheckIntegrity).passed()) << Dump(CheckOf(r, kCheckIntegrity));
  EXPECT_TRUE(CheckOf(r, kCheckShape).passed()) << Dump(CheckOf(r, kCheckShape));
  EXPECT_TRUE(CheckOf(r, kCheckAttack).passed()) << Dump(CheckOf(r, kCheckAttack));
  // The hidden tables and their links are in the model: 3 x 4 cells more than the reports show.
  bool hidden = false;
  for (const std::string& n : CheckOf(r, kCheckAttack).notes) {
    hidden = hidden || n.find("hidden") != std::string::npos;
  }
  EXPECT_TRUE(hidden);
  // Without the release it follows, the revision cannot be judged.
  VerifyResult alone = Verify(rev_dir, {r1});
  EXPECT_TRUE(Names(CheckOf(alone, kCheckAttack), "", "",
                    "the revision of 2026 follows 2026-03, which was not given"))
      << Dump(CheckOf(alone, kCheckAttack));
  // The revision's report.json signed as the monthly release's file.
  Result<std::string> sig =
      signer_->Sign(rev["report.json"], "tvault report 2026-03 file:report.json");
  ASSERT_TRUE(sig.ok());
  rev["report.json.minisig"] = *sig;
  VerifyResult swapped = Verify(Put("rev-swapped", rev), {r3, r1});
  EXPECT_TRUE(Names(CheckOf(swapped, kCheckIntegrity), "", "", "signed for another file or month"))
      << Dump(CheckOf(swapped, kCheckIntegrity));
}

// The earlier releases may be given in any order; the verdict and ranges are the same.
TEST_F(VerifyReleaseTest, PreviousReleasesInAnyOrderGiveTheSameResult) {
  const std::vector<std::string> nat = {"AF", "IQ", "SY"};
  const std::string r1 = Put("a1", Make("2026-01", "", {Nat("month", nat, {10, 6, 0}),
                                                         Nat("year_to_date", nat, {10, 6, 0})}));
  const std::string r2 = Put("a2", Make("2026-02", "2026-01",
                                        {Nat("month", nat, {7, 6, 2}, {{"SY"}, {"IQ"}}),
                                         Nat("year_to_date", nat, {17, 12, 2}, {{"SY"}, {"IQ"}})}));
  const std::string r4 = Put("a4", Make("2026-04", "2026-02",
                                        {Nat("month", nat, {9, 6, 1}, {{"SY"}, {"AF"}}),
                                         Nat("year_to_date", nat, {26, 18, 3}, {{"SY"}, {"IQ"}})}));
  const std::string r5 = Put("a5", Make("2026-05", "2026-04",
                                        {Nat("month", nat, {8, 9, 0}),
                                         Nat("year_to_date", nat, {34, 27, 3}, {{"SY"}, {"IQ"}})}));
  VerifyResult a = Verify(r5, {r1, r2, r4});
  VerifyResult b = Verify(r5, {r4, r1, r2});
  VerifyResult c = Verify(r5, {r2, r4, r1});
  // The attack check's verdict, failures and ranges (notes) are the same, in any order.
  auto attack = [&](const VerifyResult& r) {
    const VerifyCheck& x = CheckOf(r, kCheckAttack);
    std::vector<std::string> lines = x.notes;
    for (const VerifyFailure& f : x.failures) lines.push_back(f.file + f.table + f.cell + f.reason);
    std::sort(lines.begin(), lines.end());
    return std::make_pair(x.passed(), lines);
  };
  EXPECT_EQ(attack(a), attack(b));
  EXPECT_EQ(attack(a), attack(c));
  EXPECT_GT(CheckOf(a, kCheckAttack).notes.size(), 4u);
  // April's own [SY] = 1 is given away by the exact chain 2 -> 4 -> 5, in every order.
  EXPECT_TRUE(Names(CheckOf(b, kCheckAttack), "month/people_by_nationality", "[SY]",
                    "exact disclosure"))
      << Dump(CheckOf(b, kCheckAttack));
  // Leaving one out is named, whatever the order.
  VerifyResult gap = Verify(r5, {r4, r1});
  EXPECT_TRUE(Names(CheckOf(gap, kCheckAttack), "", "",
                    "release 2026-04 follows 2026-02, which was not given"))
      << Dump(CheckOf(gap, kCheckAttack));
}

// One byte of an earlier release's report.json changed (a published count): its signature and
// its manifest's hash no longer match, and integrity fails naming that release's file.
TEST_F(VerifyReleaseTest, AlteredEarlierReleaseFailsIntegrity) {
  const std::vector<std::string> nat = {"AF", "IQ"};
  Folder jan = Make("2026-01", "", {Nat("month", nat, {10, 6}), Nat("year_to_date", nat, {10, 6})});
  const std::string r2 = Put("i2", Make("2026-02", "2026-01",
                                        {Nat("month", nat, {7, 6}),
                                         Nat("year_to_date", nat, {17, 12})}));
  VerifyResult honest = Verify(r2, {Put("i1", jan)});
  EXPECT_TRUE(CheckOf(honest, kCheckIntegrity).passed()) << Dump(CheckOf(honest, kCheckIntegrity));
  EXPECT_TRUE(CheckOf(honest, kCheckShape).passed()) << Dump(CheckOf(honest, kCheckShape));
  EXPECT_TRUE(CheckOf(honest, kCheckAttack).passed()) << Dump(CheckOf(honest, kCheckAttack));

  std::string& json = jan["report.json"];
  const size_t at = json.find("\"count\": 10");
  ASSERT_NE(at, std::string::npos);
  json[at + 10] = '2';  // 10 -> 12
  const std::string bad = Put("i1-altered", jan);
  VerifyResult r = Verify(r2, {bad});
  const VerifyCheck& integrity = CheckOf(r, kCheckIntegrity);
  bool named = false;
  for (const VerifyFailure& f : integrity.failures) {
    named = named || (f.file == bad + "/report.json" &&
                      f.reason.find("signature does not verify") != std::string::npos);
  }
  EXPECT_TRUE(named) << Dump(integrity);
  EXPECT_FALSE(r.passed());
}

// Shape: a monthly release holds no revision table, a revision nothing else; the series fields
// are checked.
TEST_F(VerifyReleaseTest, RevisionTablesOnlyInARevision) {
  const std::vector<std::string> nat = {"AF", "IQ"};
  VerifyResult r = Verify(
      Put("s1", Make("2026-01", "", {Nat("month", nat, {10, 6}), Nat("revision", nat, {10, 6})})),
      {});
  EXPECT_TRUE(Names(CheckOf(r, kCheckShape), "revision/people_by_nationality", "",
                    "not a revision"))
      << Dump(CheckOf(r, kCheckShape));
  r = Verify(Put("s2", Make("2026-01", "2026-01", {Nat("month", nat, {10, 6})}, false, true)),
             {});
  EXPECT_TRUE(Names(CheckOf(r, kCheckShape), "month/people_by_nationality", "",
                    "a revision publishes only tables of period"))
      << Dump(CheckOf(r, kCheckShape));
  r = Verify(Put("s3", Make("2026-03", "2026-04", {Nat("month", nat, {10, 6})})), {});
  EXPECT_TRUE(Names(CheckOf(r, kCheckShape), "", "", "is not an earlier month"))
      << Dump(CheckOf(r, kCheckShape));
}

}  // namespace
}  // namespace tvault
