// Tests of the decomposition of the protect and self-audit problems into independent blocks
// (FreeComponents in pipeline/table_set.h, AuditOptions::decompose, ProtectOptions::decompose):
// on many random linked stacks of monthly and year-to-date tables, the decomposed audit must
// compute exactly the ranges of the monolithic reference, and the decomposed protect must
// produce patterns that the reference audit passes. Timing is measured by
// bench/pipeline_scale.cc, never asserted here.
#include <cmath>
#include <cstdint>
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
using tvault::pipeline::CellComponents;
using tvault::pipeline::CellId;
using tvault::pipeline::FreeComponents;
using tvault::pipeline::PeopleRule;
using tvault::pipeline::Protect;
using tvault::pipeline::ProtectOptions;
using tvault::pipeline::TableSet;
using tvault::pipeline::WithheldCells;
using tvault::pipeline::WithheldFrom;
using tvault::testing::ProtectMonthByMonth;
using tvault::testing::ReportShape;
using tvault::testing::SuppressedCells;

// A tiny deterministic generator for the patterns (the stacks have their own).
uint32_t Next(uint32_t* s) {
  *s = *s * 1664525u + 1013904223u;
  return *s >> 8;
}

AuditReport MustAudit(const TableSet& set, const WithheldCells& w, bool decompose,
                      bool exact_ranges = true) {
  AuditOptions options;
  options.decompose = decompose;
  options.exact_ranges = exact_ranges;
  auto r = Audit(set, w, options);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : AuditReport{};
}

// The decomposed and the monolithic audit agree on every cell's four bounds and on the
// verdicts, word for word.
void ExpectSameAudit(const TableSet& set, const WithheldCells& w, const std::string& what) {
  const AuditReport fast = MustAudit(set, w, true);
  const AuditReport ref = MustAudit(set, w, false);
  ASSERT_EQ(fast.cells.size(), ref.cells.size()) << what;
  for (size_t i = 0; i < fast.cells.size(); ++i) {
    const auto& a = fast.cells[i];
    const auto& b = ref.cells[i];
    ASSERT_EQ(a.cell, b.cell) << what;
    EXPECT_NEAR(a.lp_lo, b.lp_lo, 1e-6) << what << ": " << a.name;
    if (!(std::isinf(a.lp_hi) && std::isinf(b.lp_hi))) {
      EXPECT_NEAR(a.lp_hi, b.lp_hi, 1e-6) << what << ": " << a.name;
    }
    EXPECT_EQ(a.ilp_lo, b.ilp_lo) << what << ": " << a.name;
    EXPECT_EQ(a.ilp_hi, b.ilp_hi) << what << ": " << a.name;
    EXPECT_EQ(a.reason, b.reason) << what << ": " << a.name;
  }
  EXPECT_EQ(fast.failures, ref.failures) << what;

  // The audit that stops its integer programs early reaches the same verdicts and the same
  // messages, and each integer bound it reports is exact when it says so and otherwise
  // inside the exact range (a value the attacker reaches at least).
  const AuditReport early = MustAudit(set, w, true, false);
  ASSERT_EQ(early.cells.size(), fast.cells.size()) << what;
  for (size_t i = 0; i < early.cells.size(); ++i) {
    const auto& a = early.cells[i];
    const auto& b = fast.cells[i];
    EXPECT_NEAR(a.lp_lo, b.lp_lo, 1e-6) << what << ": " << a.name;
    if (a.ilp_lo_exact) EXPECT_EQ(a.ilp_lo, b.ilp_lo) << what << ": " << a.name;
    if (a.ilp_hi_exact) EXPECT_EQ(a.ilp_hi, b.ilp_hi) << what << ": " << a.name;
    EXPECT_GE(a.ilp_lo, b.ilp_lo) << what << ": " << a.name;
    EXPECT_LE(a.ilp_hi, b.ilp_hi) << what << ": " << a.name;
    EXPECT_EQ(a.ilp_ok, b.ilp_ok) << what << ": " << a.name;
    EXPECT_EQ(a.reason, b.reason) << what << ": " << a.name;
  }
  EXPECT_EQ(early.failures, fast.failures) << what;
  EXPECT_LE(early.solves, fast.solves) << what;
}

TEST(PipelineScaleTest, FreeComponentsSplitAtPublishedCells) {
  TableSet set;
  // Two 1-D tables: a = {a0, a1, total}, b = {b0, b1, total}, and b0 = a0.
  ASSERT_TRUE(set.AddTable1D("a", PeopleRule(), {"0", "1"}, {3, 9}).ok());
  ASSERT_TRUE(set.AddTable1D("b", PeopleRule(), {"0", "1"}, {3, 7}).ok());
  const CellId a0 = 0, a1 = 1, at = 2, b0 = 3, b1 = 4, bt = 5;
  ASSERT_TRUE(set.AddSumRelation(b0, {a0}, "shared").ok());
  std::vector<bool> free(set.cells().size(), false);
  free[a1] = free[b1] = true;  // each alone in its relation: two blocks
  CellComponents c = FreeComponents(set, free);
  ASSERT_EQ(c.cells.size(), 2u);
  EXPECT_EQ(c.cells[0], std::vector<CellId>({a1}));
  EXPECT_EQ(c.cells[1], std::vector<CellId>({b1}));
  EXPECT_EQ(c.relations[0].size(), 1u);  // the total of a
  EXPECT_EQ(c.component_of[a0], -1);
  free[a0] = free[b0] = true;  // a0 joins a1, b0 joins b1, and "shared" joins the two
  c = FreeComponents(set, free);
  ASSERT_EQ(c.cells.size(), 1u);
  EXPECT_EQ(c.cells[0], std::vector<CellId>({a0, a1, b0, b1}));
  EXPECT_EQ(c.relations[0].size(), 3u);
  free.assign(set.cells().size(), false);
  free[bt] = free[at] = true;  // no relation holds two of them; ordered by smallest id
  c = FreeComponents(set, free);
  ASSERT_EQ(c.cells.size(), 2u);
  EXPECT_EQ(c.cells[0], std::vector<CellId>({at}));
  EXPECT_EQ(c.cells[1], std::vector<CellId>({bt}));
}

// Protected stacks, the primary-only pattern of the same stacks, random patterns with
// hidden months and with a suppressed zero: the two audits must agree on all of them.
TEST(PipelineScaleTest, DecomposedAuditEqualsMonolithicOnRandomStacks) {
  const ReportShape shape = ReportShape::Small();
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    const int months = 1 + static_cast<int>(seed % 3);
    auto stack = ProtectMonthByMonth(shape, months, seed, ProtectOptions{});
    ASSERT_TRUE(stack.ok()) << stack.status().message();
    const TableSet& set = stack->set;
    const std::string what = "seed " + std::to_string(seed);
    ExpectSameAudit(set, WithheldFrom(set, SuppressedCells(stack->last)), what + " protected");
    ExpectSameAudit(set, WithheldFrom(set, SuppressedCells(
                                               tvault::pipeline::PrimaryPattern(set))),
                    what + " primary only");
    uint32_t s = seed;
    std::vector<bool> random(set.cells().size(), false);
    bool zero_suppressed = false;
    for (const auto& c : set.cells()) {
      if (c.value > 0) {
        random[c.id] = Next(&s) % 10 < 4;
      } else if (!zero_suppressed && seed % 2 == 0) {
        random[c.id] = zero_suppressed = true;  // breaks the zeros-are-published premise
      }
    }
    WithheldCells w = WithheldFrom(set, random);
    if (months >= 2) {
      // Hide month 2 alone, as if only its year-to-date tables were published.
      for (const auto& c : set.cells()) {
        if (set.tables()[c.table].name.find("/m02") != std::string::npos) w.hidden[c.id] = true;
      }
    }
    ExpectSameAudit(set, w, what + " random");
  }
}

// The decomposed protect of every month passes the monolithic audit; the monolithic protect
// of the last month does too; and the decomposed protect is deterministic.
TEST(PipelineScaleTest, DecomposedProtectPassesTheReferenceAudit) {
  const ReportShape shape = ReportShape::Small();
  for (uint32_t seed = 11; seed <= 16; ++seed) {
    const int months = 1 + static_cast<int>(seed % 3);
    auto stack = ProtectMonthByMonth(shape, months, seed, ProtectOptions{});
    ASSERT_TRUE(stack.ok()) << stack.status().message();
    const TableSet& set = stack->set;
    const AuditReport r = MustAudit(set, WithheldFrom(set, SuppressedCells(stack->last)), false);
    EXPECT_TRUE(r.passed()) << "seed " << seed << ": " << r.failures[0];
    EXPECT_GT(stack->last.primary, 0) << "the stack should need protection";

    auto again = Protect(set, ProtectOptions{});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->state, stack->last.state) << "seed " << seed;

    ProtectOptions reference;
    reference.decompose = false;
    auto ref = Protect(set, reference);
    ASSERT_TRUE(ref.ok()) << ref.status().message();
    const AuditReport rr = MustAudit(set, WithheldFrom(set, SuppressedCells(*ref)), false);
    EXPECT_TRUE(rr.passed()) << "seed " << seed << ": " << rr.failures[0];
  }
}

}  // namespace
