// The attacker's problem of `tvault verify` (core/src/verify/attack.cc) on hand-made models,
// for the patterns that only show on small linear systems: a cell that the LP leaves open but
// integrality pins, and the value-free verdict on a cell that is certainly sensitive.
#include <gtest/gtest.h>

#include "tvault/report.h"
#include "verify/model.h"

namespace tvault::verify_internal {
namespace {

// A model with suppressed unknowns `cells` and published constants `published`, and the
// relations given as {key, coefficient} terms.
Model MakeModel(const std::vector<std::string>& cells,
                const std::map<std::string, int64_t>& published,
                const std::vector<std::vector<std::pair<std::string, int64_t>>>& relations) {
  Model m;
  m.published = published;
  const v1::ProtectionSettings testimonies =
      CompleteReportSettings(v1::ReportSettings())->testimonies();
  for (const std::string& c : cells) {
    m.unknown_index[c] = m.unknowns.size();
    m.unknowns.push_back({c, true, "report.json", "month/t", "[" + c + "]", testimonies});
  }
  for (const auto& r : relations) m.relations.push_back({r, "relation"});
  return m;
}

bool Fails(const VerifyCheck& check, const std::string& cell, const std::string& reason) {
  for (const VerifyFailure& f : check.failures) {
    if (f.cell == cell && f.reason.find(reason) != std::string::npos) return true;
  }
  return false;
}

// u + v = 6, v + w = 6, u + w + s = 4 (three linked tables, docs/methodology-protection.md
// section 5): as an LP s can be 1 to 2; over the integers only 2 fits.
TEST(VerifyAttackModelTest, CellRecoverableOnlyWithIntegralityFails) {
  Model m = MakeModel({"u", "v", "w", "s"}, {{"six", 6}, {"four", 4}},
                      {{{"u", 1}, {"v", 1}, {"six", -1}},
                       {{"v", 1}, {"w", 1}, {"six", -1}},
                       {{"u", 1}, {"w", 1}, {"s", 1}, {"four", -1}}});
  VerifyCheck check;
  ASSERT_TRUE(AttackModel(m, "report.json", nullptr, 60, false, nullptr, &check).ok());
  EXPECT_TRUE(Fails(check, "[s]", "exact disclosure with integrality: only 2 fits"));
  bool lp_range_shown = false;
  for (const std::string& n : check.notes) {
    lp_range_shown =
        lp_range_shown || n.find("[s]: LP [1, 2], integer [2, 2]") != std::string::npos;
  }
  EXPECT_TRUE(lp_range_shown);
  // The LP alone leaves s open: the failure is not an LP exact disclosure.
  EXPECT_FALSE(Fails(check, "[s]", "exact disclosure: the published"));
}

// Two suppressed cells a + b = 3 in a table of testimonies (k = 3): each is certainly below k,
// and [1, 2] is too narrow for 1 (needs up to 3) and for 2 (needs up to 4).
TEST(VerifyAttackModelTest, CertainlySensitiveCellWithANarrowRangeFails) {
  Model m = MakeModel({"a", "b"}, {{"three", 3}}, {{{"a", 1}, {"b", 1}, {"three", -1}}});
  VerifyCheck check;
  ASSERT_TRUE(AttackModel(m, "report.json", nullptr, 60, false, nullptr, &check).ok());
  EXPECT_TRUE(Fails(check, "[a]", "interval too narrow for every value below k = 3"));
  // With the true value known (the full audit), the exact rule is applied.
  VerifyCheck exact;
  const std::map<std::string, int64_t> truth = {{"a", 1}, {"b", 2}};
  ASSERT_TRUE(AttackModel(m, "report.json", &truth, 60, false, nullptr, &exact).ok());
  EXPECT_TRUE(Fails(exact, "[a]", "interval too narrow for its true value 1"));
}

// A 2 x 2 block with published margins: every cell can move by the same amount.
TEST(VerifyAttackModelTest, ProtectedBlockPasses) {
  Model m = MakeModel({"a", "b", "c", "d"}, {{"r1", 12}, {"r2", 13}, {"c1", 15}, {"c2", 10}},
                      {{{"a", 1}, {"b", 1}, {"r1", -1}},
                       {{"c", 1}, {"d", 1}, {"r2", -1}},
                       {{"a", 1}, {"c", 1}, {"c1", -1}},
                       {{"b", 1}, {"d", 1}, {"c2", -1}}});
  VerifyCheck check;
  ASSERT_TRUE(AttackModel(m, "report.json", nullptr, 60, false, nullptr, &check).ok());
  EXPECT_TRUE(check.failures.empty()) << check.failures[0].cell << " " << check.failures[0].reason;
}

// Two independent blocks: {a, b} narrowed (a + b = 3, certainly sensitive) and {c, d} linked to
// a number of the current report. With skip_settled the block that holds no number of the
// current report is not solved again (its verdict was given when the earlier reports were
// checked); the touched block still is, and a block is touched through a relation as well as
// through a suppressed cell.
TEST(VerifyAttackModelTest, SettledBlocksAreSkippedOnlyWhenAsked) {
  Model m = MakeModel({"a", "b", "c", "d"}, {{"three", 3}, {"now", 3}},
                      {{{"a", 1}, {"b", 1}, {"three", -1}}, {{"c", 1}, {"d", 1}, {"now", -1}}});
  m.current_keys = {"now"};
  VerifyCheck all;
  ASSERT_TRUE(AttackModel(m, "report.json", nullptr, 60, false, nullptr, &all).ok());
  EXPECT_TRUE(Fails(all, "[a]", "interval too narrow"));
  EXPECT_TRUE(Fails(all, "[c]", "interval too narrow"));
  VerifyCheck skipped;
  ASSERT_TRUE(AttackModel(m, "report.json", nullptr, 60, true, nullptr, &skipped).ok());
  EXPECT_FALSE(Fails(skipped, "[a]", "interval too narrow"));
  EXPECT_TRUE(Fails(skipped, "[c]", "interval too narrow"));
  EXPECT_NE(skipped.notes[0].find("2 suppressed cells in parts that hold no number of this"),
            std::string::npos)
      << skipped.notes[0];
}

}  // namespace
}  // namespace tvault::verify_internal
