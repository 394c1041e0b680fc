// Tests of the self-audit (pipeline/attack.h) on hand-made suppression patterns: each classic
// trap must be caught and named, and a safe pattern must pass. The protect stage is tested in
// pipeline_protect_test.cc; these tests do not use it.
#include "pipeline/attack.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/table_set.h"

namespace {

using tvault::pipeline::Audit;
using tvault::pipeline::AuditOptions;
using tvault::pipeline::AuditReport;
using tvault::pipeline::CellAudit;
using tvault::pipeline::CellId;
using tvault::pipeline::PeopleRule;
using tvault::pipeline::ProtectionRule;
using tvault::pipeline::TableSet;
using tvault::pipeline::TestimonyRule;
using tvault::pipeline::WithheldFrom;

// Suppresses exactly the named cells of `table`.
std::vector<bool> Suppress(const TableSet& set, const std::string& table,
                           const std::vector<std::vector<std::string>>& cells) {
  std::vector<bool> out(set.cells().size(), false);
  for (const auto& labels : cells) {
    auto id = set.Find(table, labels);
    EXPECT_TRUE(id.ok()) << id.status().message();
    if (id.ok()) out[*id] = true;
  }
  return out;
}

AuditReport MustAudit(const TableSet& set, const std::vector<bool>& suppressed) {
  auto report = Audit(set, WithheldFrom(set, suppressed), AuditOptions{});
  EXPECT_TRUE(report.ok()) << report.status().message();
  return report.ok() ? *report : AuditReport{};
}

const CellAudit* Find(const AuditReport& r, const TableSet& set, const std::string& table,
                      const std::vector<std::string>& labels) {
  auto id = set.Find(table, labels);
  if (!id.ok()) return nullptr;
  for (const CellAudit& a : r.cells) {
    if (a.cell == *id) return &a;
  }
  return nullptr;
}

bool AnyFailureContains(const AuditReport& r, const std::string& needle) {
  for (const std::string& f : r.failures) {
    if (f.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(PipelineAttackTest, SingleSuppressedCellInARowIsRecoveredBySubtraction) {
  TableSet set;
  ASSERT_TRUE(set.AddTable2D("route", PeopleRule(), {"A", "B", "C"}, {"x", "y", "z"},
                             {{2, 10, 12}, {8, 9, 11}, {7, 6, 13}})
                  .ok());
  const AuditReport r = MustAudit(set, Suppress(set, "route", {{"A", "x"}}));
  EXPECT_FALSE(r.passed());
  const CellAudit* a = Find(r, set, "route", {"A", "x"});
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->lp_lo, 2);
  EXPECT_EQ(a->lp_hi, 2);
  EXPECT_FALSE(a->lp_ok);
  EXPECT_TRUE(AnyFailureContains(r, "table 'route' [A, x]: exact disclosure")) << r.failures[0];
}

// 15 = 10 + 3 + x + x in one row, 26 = 20 + 4 + x + x in the next: every row and column with a
// suppression has two of them, which a naive "at least two per line" rule accepts. But a
// suppressed cell is at least 1 (zeros are published), so x + x = 2 forces both to 1.
TEST(PipelineAttackTest, TwoSuppressionsPerRowAndColumnCanStillBeExact) {
  TableSet set;
  ASSERT_TRUE(set.AddTable2D("t", TestimonyRule(), {"A", "B", "C"}, {"w", "x", "y", "z"},
                             {{10, 3, 1, 1}, {20, 4, 1, 1}, {7, 8, 9, 6}})
                  .ok());
  const AuditReport r =
      MustAudit(set, Suppress(set, "t", {{"A", "y"}, {"A", "z"}, {"B", "y"}, {"B", "z"}}));
  EXPECT_FALSE(r.passed());
  for (const std::string& row : {"A", "B"}) {
    for (const std::string& col : {"y", "z"}) {
      const CellAudit* a = Find(r, set, "t", {row, col});
      ASSERT_NE(a, nullptr);
      EXPECT_EQ(a->lp_lo, 1);
      EXPECT_EQ(a->lp_hi, 1);
      EXPECT_TRUE(AnyFailureContains(r, "table 't' [" + row + ", " + col +
                                            "]: exact disclosure"));
    }
  }
}

// u + v = 6, v + w = 6, u + w + s = 4 (three linked tables sharing u, v, w), all suppressed.
// Over the reals u = w = t in [1, 1.5] and s = 4 - 2t in [1, 2]; over the integers t = 1, so
// s = 2 exactly. Only the integer program sees it.
TEST(PipelineAttackTest, CellRecoverableOnlyWithIntegrality) {
  ProtectionRule rule = TestimonyRule();  // k = 3
  rule.upper_percent = rule.lower_percent = rule.width_percent = 0;
  rule.upper_min = rule.lower_min = 0;
  rule.width_min = 1;  // only "not exact" is required
  TableSet set;
  ASSERT_TRUE(set.AddTable1D("p", rule, {"u", "v"}, {1, 5}).ok());
  ASSERT_TRUE(set.AddTable1D("q", rule, {"v", "w"}, {5, 1}).ok());
  ASSERT_TRUE(set.AddTable1D("r", rule, {"u", "w", "s"}, {1, 1, 2}).ok());
  auto id = [&](const std::string& t, const std::string& l) { return *set.Find(t, {l}); };
  ASSERT_TRUE(set.AddSumRelation(id("q", "v"), {id("p", "v")}, "v shared").ok());
  ASSERT_TRUE(set.AddSumRelation(id("r", "u"), {id("p", "u")}, "u shared").ok());
  ASSERT_TRUE(set.AddSumRelation(id("r", "w"), {id("q", "w")}, "w shared").ok());
  std::vector<bool> sup(set.cells().size(), false);
  for (auto [t, l] : std::vector<std::pair<std::string, std::string>>{
           {"p", "u"}, {"p", "v"}, {"q", "v"}, {"q", "w"}, {"r", "u"}, {"r", "w"}, {"r", "s"}}) {
    sup[id(t, l)] = true;
  }
  const AuditReport r = MustAudit(set, sup);
  const CellAudit* s = Find(r, set, "r", {"s"});
  ASSERT_NE(s, nullptr);
  EXPECT_DOUBLE_EQ(s->lp_lo, 1);
  EXPECT_DOUBLE_EQ(s->lp_hi, 2);
  EXPECT_EQ(s->ilp_lo, 2);
  EXPECT_EQ(s->ilp_hi, 2);
  EXPECT_TRUE(s->lp_ok);
  EXPECT_FALSE(s->ilp_ok);
  EXPECT_EQ(s->reason, "exact disclosure with integrality");
  const CellAudit* u = Find(r, set, "p", {"u"});
  ASSERT_NE(u, nullptr);
  EXPECT_DOUBLE_EQ(u->lp_hi, 1.5);
  EXPECT_FALSE(r.passed());
}

// Year-to-date September and October are both published in full; October alone is never
// published, but October = YTD(Oct) - YTD(Sep), and one of its cells is 2.
TEST(PipelineAttackTest, DifferenceOfTwoYearToDateTablesRevealsTheMonth) {
  TableSet set;
  const std::vector<std::string> rows = {"HR", "RS"}, cols = {"BA", "HR", "RS"};
  auto sep = set.AddTable2D("ytd_sep", PeopleRule(), rows, cols, {{40, 0, 25}, {30, 18, 0}});
  auto oct = set.AddTable2D("oct", PeopleRule(), rows, cols, {{2, 0, 9}, {11, 7, 0}});
  auto ytd = set.AddTable2D("ytd_oct", PeopleRule(), rows, cols, {{42, 0, 34}, {41, 25, 0}});
  ASSERT_TRUE(sep.ok() && oct.ok() && ytd.ok());
  ASSERT_TRUE(set.AddCellwiseSum(*ytd, {*sep, *oct}).ok());
  for (CellId c = 0; c < static_cast<CellId>(set.cells().size()); ++c) {
    if (set.cells()[c].table == *oct) ASSERT_TRUE(set.SetHidden(c, true).ok());
  }
  const AuditReport r = MustAudit(set, std::vector<bool>(set.cells().size(), false));
  EXPECT_FALSE(r.passed());
  EXPECT_TRUE(AnyFailureContains(r, "table 'oct' [HR, BA]: exact disclosure"));
  // The large hidden cells are reported too, but carry no requirement.
  const CellAudit* big = Find(r, set, "oct", {"RS", "BA"});
  ASSERT_NE(big, nullptr);
  EXPECT_FALSE(big->sensitive);
  EXPECT_EQ(big->lp_lo, 11);
}

TEST(PipelineAttackTest, SafeRectanglePasses) {
  TableSet set;
  ASSERT_TRUE(set.AddTable2D("t", PeopleRule(), {"A", "B"}, {"x", "y", "z"},
                             {{2, 8, 20}, {9, 7, 30}})
                  .ok());
  const AuditReport r =
      MustAudit(set, Suppress(set, "t", {{"A", "x"}, {"A", "y"}, {"B", "x"}, {"B", "y"}}));
  EXPECT_TRUE(r.passed()) << r.failures[0];
  const CellAudit* a = Find(r, set, "t", {"A", "x"});
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->sensitive);
  EXPECT_EQ(a->ilp_lo, 1);
  EXPECT_EQ(a->ilp_hi, 9);  // A,x = t; A,y = 10 - t >= 1
  EXPECT_EQ(a->upper, 2);
  EXPECT_EQ(a->lower, 0);
  EXPECT_EQ(a->width, 2);
  EXPECT_TRUE(tvault::pipeline::RequirePassed(r).ok());
}

TEST(PipelineAttackTest, PublishedSmallCellAndSuppressedZeroFail) {
  TableSet set;
  ASSERT_TRUE(set.AddTable1D("t", PeopleRule(), {"a", "b", "c"}, {3, 0, 40}).ok());
  AuditReport r = MustAudit(set, std::vector<bool>(set.cells().size(), false));
  EXPECT_TRUE(AnyFailureContains(r, "table 't' [a]: published value 3 is below the threshold"));
  r = MustAudit(set, Suppress(set, "t", {{"a"}, {"b"}, {"c"}}));
  EXPECT_TRUE(AnyFailureContains(r, "table 't' [b]: a zero is suppressed"));
  const tvault::Status st = tvault::pipeline::RequirePassed(r);
  EXPECT_EQ(st.code(), tvault::Code::kInvalidArgument);
  EXPECT_NE(st.message().find("[b]"), std::string::npos);
}

TEST(PipelineAttackTest, UnconstrainedCellHasUnboundedRange) {
  TableSet set;
  ASSERT_TRUE(set.AddTable1D("t", PeopleRule(), {"a", "b"}, {3, 9}).ok());
  const AuditReport r = MustAudit(set, Suppress(set, "t", {{"a"}, {"b"}, {"Total"}}));
  EXPECT_TRUE(r.passed());
  const CellAudit* a = Find(r, set, "t", {"a"});
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->lp_lo, 1);
  EXPECT_TRUE(std::isinf(a->lp_hi));
  EXPECT_TRUE(std::isinf(a->ilp_hi));
}

TEST(PipelineAttackTest, RejectsAPatternOfTheWrongSize) {
  TableSet set;
  ASSERT_TRUE(set.AddTable1D("t", PeopleRule(), {"a"}, {3}).ok());
  auto r = Audit(set, WithheldFrom(set, {}), AuditOptions{});
  ASSERT_TRUE(r.ok());  // WithheldFrom pads with "published"
  tvault::pipeline::WithheldCells bad;
  bad.suppressed = {true};
  bad.hidden = {false};
  EXPECT_EQ(Audit(set, bad, AuditOptions{}).status().code(), tvault::Code::kInvalidArgument);
}

}  // namespace
