// Tests of the work the protect and self-audit stages skip on a release that earlier releases
// precede (ProtectOptions::skip_settled_blocks, AuditOptions::skip_settled_components) and of
// the self-audit's early stop of its integer programs (AuditOptions::exact_ranges): each
// skip must save work, and none may change a pattern or a verdict.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/attack.h"
#include "pipeline/protect.h"
#include "pipeline/table_set.h"
#include "testing/report_stack.h"

namespace {

using tvault::pipeline::Audit;
using tvault::pipeline::AuditOptions;
using tvault::pipeline::AuditReport;
using tvault::pipeline::CellId;
using tvault::pipeline::PeopleRule;
using tvault::pipeline::Prior;
using tvault::pipeline::Protect;
using tvault::pipeline::ProtectOptions;
using tvault::pipeline::SuppressionPattern;
using tvault::pipeline::TableSet;
using tvault::pipeline::WithheldFrom;
using tvault::testing::ProtectMonthByMonth;
using tvault::testing::ReportShape;
using tvault::testing::SuppressedCells;

// January's table, published earlier with its small cell protected by a rectangle of four
// suppressions (their priors record that), and this release's February table of the same
// shape. With `linked`, February's cells are also tied to January's by a year-to-date table.
TableSet TwoReleases(bool linked) {
  TableSet set;
  const std::vector<std::string> rows = {"A", "B"}, cols = {"x", "y", "z"};
  auto jan = set.AddTable2D("jan", PeopleRule(), rows, cols, {{2, 8, 20}, {9, 7, 30}});
  // February has no small cell: only January's 2 can make it suppress anything.
  auto feb = set.AddTable2D("feb", PeopleRule(), rows, cols, {{5, 9, 25}, {12, 6, 40}});
  EXPECT_TRUE(jan.ok() && feb.ok());
  EXPECT_TRUE(set.SetTablePrior(*jan, Prior::kPublishedBefore).ok());
  for (const auto& labels : std::vector<std::vector<std::string>>{
           {"A", "x"}, {"A", "y"}, {"B", "x"}, {"B", "y"}}) {
    EXPECT_TRUE(set.SetPrior(*set.Find("jan", labels), Prior::kSuppressedBefore).ok());
  }
  if (linked) {
    auto ytd = set.AddTable2D("ytd", PeopleRule(), rows, cols, {{7, 17, 45}, {21, 13, 70}});
    EXPECT_TRUE(ytd.ok());
    EXPECT_TRUE(set.AddCellwiseSum(*ytd, {*jan, *feb}).ok());
  }
  return set;
}

SuppressionPattern MustProtect(const TableSet& set, bool skip) {
  ProtectOptions options;
  options.skip_settled_blocks = skip;
  auto p = Protect(set, options);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? *p : SuppressionPattern{};
}

AuditReport MustAudit(const TableSet& set, const SuppressionPattern& p, bool skip_settled,
                      bool exact_ranges, bool decompose = true) {
  AuditOptions options;
  options.decompose = decompose;
  options.skip_settled_components = skip_settled;
  options.exact_ranges = exact_ranges;
  auto r = Audit(set, WithheldFrom(set, SuppressedCells(p)), options);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : AuditReport{};
}

// January's rectangle is a block of its own: its demand is not solved again, and the pattern
// is the one the full run finds.
TEST(PipelineSettledTest, ProtectSkipsTheDemandsOfSettledBlocks) {
  const TableSet set = TwoReleases(false);
  const SuppressionPattern skip = MustProtect(set, true);
  const SuppressionPattern full = MustProtect(set, false);
  EXPECT_EQ(skip.state, full.state);
  EXPECT_EQ(skip.settled, 1);  // jan [A, x] = 2
  EXPECT_EQ(full.settled, 0);
  EXPECT_LT(skip.solves, full.solves);
  EXPECT_TRUE(MustAudit(set, skip, false, true).passed());
}

// The year-to-date table ties January's suppressions to this release's cells: the block is
// not settled, and January's small cell gets its demand, or ytd - feb would give it away.
TEST(PipelineSettledTest, ProtectDemandsEarlierCellsOfABlockWithNewCells) {
  const TableSet set = TwoReleases(true);
  const SuppressionPattern p = MustProtect(set, true);
  EXPECT_EQ(p.settled, 0);
  const AuditReport r = MustAudit(set, p, false, true);
  EXPECT_TRUE(r.passed()) << r.failures[0];
  EXPECT_TRUE(p.Withheld(*set.Find("ytd", {"A", "x"})) ||
              p.Withheld(*set.Find("feb", {"A", "x"})));
}

// The audit skips January's rectangle as settled, and audits February's cells alone.
TEST(PipelineSettledTest, AuditSkipsSettledComponents) {
  const TableSet set = TwoReleases(false);
  const SuppressionPattern p = MustProtect(set, true);
  const AuditReport all = MustAudit(set, p, false, false);
  const AuditReport skip = MustAudit(set, p, true, false);
  EXPECT_EQ(all.settled_cells, 0);
  EXPECT_EQ(skip.settled_cells, 4);
  EXPECT_EQ(skip.cells.size() + 4, all.cells.size());
  for (const auto& a : skip.cells) EXPECT_EQ(a.name.find("'jan'"), std::string::npos) << a.name;
  EXPECT_LT(skip.solves, all.solves);
  EXPECT_TRUE(skip.passed());

  // Linked to this release's cells, January's suppressions are audited again.
  const TableSet linked = TwoReleases(true);
  const SuppressionPattern q = MustProtect(linked, true);
  const AuditReport r = MustAudit(linked, q, true, false);
  EXPECT_EQ(r.settled_cells, 0);
  EXPECT_TRUE(r.passed()) << r.failures[0];
}

// On protected stacks of linked months, the audit that stops once the rule is met reports
// some bounds as not exact (it stopped or skipped an integer program), never solves more
// programs than the exact one, and reaches the same verdict; on the primary-only pattern
// (which fails) the failures are word for word the same, with or without decomposition.
TEST(PipelineSettledTest, AuditStopsIntegerProgramsOnceTheRuleIsMet) {
  int inexact = 0;
  for (uint32_t seed = 1; seed <= 3; ++seed) {
    auto stack = ProtectMonthByMonth(ReportShape::Small(), 3, seed, ProtectOptions{});
    ASSERT_TRUE(stack.ok()) << stack.status().message();
    const AuditReport early = MustAudit(stack->set, stack->last, false, false);
    const AuditReport exact = MustAudit(stack->set, stack->last, false, true);
    EXPECT_TRUE(early.passed() && exact.passed());
    EXPECT_LE(early.solves, exact.solves) << "seed " << seed;
    for (const auto& a : early.cells) inexact += !a.ilp_lo_exact + !a.ilp_hi_exact;
    for (const auto& a : exact.cells) EXPECT_TRUE(a.ilp_lo_exact && a.ilp_hi_exact);
    const SuppressionPattern primary = tvault::pipeline::PrimaryPattern(stack->set);
    const AuditReport failing = MustAudit(stack->set, primary, false, true);
    EXPECT_FALSE(failing.passed());
    EXPECT_EQ(MustAudit(stack->set, primary, false, false).failures, failing.failures);
    // The monolithic reference stops early too, from its LP bases, with the same verdicts.
    EXPECT_EQ(MustAudit(stack->set, primary, false, false, false).failures, failing.failures);
    EXPECT_TRUE(MustAudit(stack->set, stack->last, false, false, false).passed());
  }
  EXPECT_GT(inexact, 0);
}

}  // namespace
