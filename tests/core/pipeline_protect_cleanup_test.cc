// Tests of Protect's clean-up pass (pipeline/protect.h, ProtectOptions::cleanup): after the
// greedy pass, it publishes again the secondary suppressions the final pattern does not need.
// It must remove a complement that a later demand made redundant, never publish a primary cell
// or a cell an earlier report suppressed, never leave a demand unprotected (the independent
// self-audit of pipeline/attack.h passes on every result), stay deterministic, and count its
// solves against the same limits.
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/attack.h"
#include "pipeline/protect.h"
#include "pipeline/table_set.h"
#include "testing/report_stack.h"

namespace {

using tvault::Code;
using tvault::pipeline::Audit;
using tvault::pipeline::AuditOptions;
using tvault::pipeline::AuditReport;
using tvault::pipeline::Cell;
using tvault::pipeline::CellId;
using tvault::pipeline::CellState;
using tvault::pipeline::CostKind;
using tvault::pipeline::IsSensitive;
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

AuditReport MustAudit(const TableSet& set, const std::vector<bool>& suppressed) {
  auto r = Audit(set, WithheldFrom(set, suppressed), AuditOptions{});
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : AuditReport{};
}

SuppressionPattern MustProtect(const TableSet& set, CostKind cost, bool cleanup,
                               bool decompose = true) {
  ProtectOptions options;
  options.cost = cost;
  options.cleanup = cleanup;
  options.decompose = decompose;
  auto p = Protect(set, options);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? *p : SuppressionPattern{};
}

bool Suppressed(const TableSet& set, const SuppressionPattern& p,
                const std::vector<std::string>& labels) {
  auto id = set.Find("t", labels);
  EXPECT_TRUE(id.ok());
  return id.ok() && p.Suppressed(*id);
}

// People by row x column, k = 5:
//
//          w    x    y   Total
//   A      1   14    3     18
//   B      4   16   14     34
//   C     13    4    0     17
//   Total 18   34   17     69
//
// Four small cells (A w, A y, B w, C x). The greedy pass, at unity cost, meets their demands in
// cell order and ends with four complements: A x, B x, B y and C w. The rectangle that a later
// demand adds (A w, A y, B w, B y) and the cycle A y -> A x -> C x -> C w -> B w -> B y protect
// every small cell without B x, which an earlier demand took; the clean-up publishes it again.
TableSet RedundantComplementTable() {
  TableSet set;
  EXPECT_TRUE(set.AddTable2D("t", PeopleRule(), {"A", "B", "C"}, {"w", "x", "y"},
                             {{1, 14, 3}, {4, 16, 14}, {13, 4, 0}})
                  .ok());
  return set;
}

TEST(PipelineProtectCleanupTest, PublishesAComplementALaterDemandMadeRedundant) {
  const TableSet set = RedundantComplementTable();
  const SuppressionPattern greedy = MustProtect(set, CostKind::kUnity, /*cleanup=*/false);
  EXPECT_EQ(greedy.primary, 4);
  EXPECT_EQ(greedy.secondary, 4);
  EXPECT_TRUE(Suppressed(set, greedy, {"B", "x"}));
  EXPECT_TRUE(MustAudit(set, SuppressedCells(greedy)).passed());

  const SuppressionPattern p = MustProtect(set, CostKind::kUnity, /*cleanup=*/true);
  EXPECT_EQ(p.primary, 4);
  EXPECT_EQ(p.secondary, 3);
  EXPECT_EQ(p.released, 1);
  EXPECT_FALSE(Suppressed(set, p, {"B", "x"}));
  for (const std::vector<std::string>& kept :
       {std::vector<std::string>{"A", "x"}, {"B", "y"}, {"C", "w"}}) {
    EXPECT_TRUE(Suppressed(set, p, kept)) << kept[0] << " " << kept[1];
  }
  const AuditReport audit = MustAudit(set, SuppressedCells(p));
  EXPECT_TRUE(audit.passed()) << (audit.failures.empty() ? "" : audit.failures[0]);

  // Three complements is the optimum: no pattern with two or fewer passes the audit.
  std::vector<CellId> candidates;
  for (const Cell& c : set.cells()) {
    if (c.value > 0 && !IsSensitive(set.RuleOf(c.id), c.value)) candidates.push_back(c.id);
  }
  const std::vector<bool> primary = SuppressedCells(tvault::pipeline::PrimaryPattern(set));
  for (size_t i = 0; i <= candidates.size(); ++i) {
    for (size_t j = i; j <= candidates.size(); ++j) {
      std::vector<bool> s = primary;
      if (i < candidates.size()) s[candidates[i]] = true;
      if (j < candidates.size()) s[candidates[j]] = true;
      EXPECT_FALSE(MustAudit(set, s).passed()) << "two complements suffice: " << i << ", " << j;
    }
  }
}

// The same table, but B x was suppressed by an earlier report: it is not this run's choice,
// so it stays suppressed even where this run's pattern does not need it.
TEST(PipelineProtectCleanupTest, NeverPublishesACellAnEarlierReportSuppressed) {
  TableSet set = RedundantComplementTable();
  ASSERT_TRUE(set.SetPrior(*set.Find("t", {"B", "x"}), Prior::kSuppressedBefore).ok());
  for (CostKind cost : {CostKind::kUnity, CostKind::kValue}) {
    const SuppressionPattern p = MustProtect(set, cost, /*cleanup=*/true);
    EXPECT_TRUE(Suppressed(set, p, {"B", "x"}));
    EXPECT_TRUE(MustAudit(set, SuppressedCells(p)).passed());
  }
}

// Linked one- and two-month stacks of the report's tables (the second month protected with
// the first month's decisions as priors), both costs, the decomposed programs and the
// monolithic reference: the clean-up only ever publishes secondary suppressions of its own
// run, every demand stays protected (the audit passes), and it is deterministic.
TEST(PipelineProtectCleanupTest, NeverLeavesADemandUnprotected) {
  int released = 0, suppressed_before = 0;
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    for (CostKind cost : {CostKind::kValue, CostKind::kUnity}) {
      const int months = 1 + static_cast<int>(seed % 2);
      ProtectOptions options;
      options.cost = cost;
      auto stack = ProtectMonthByMonth(ReportShape::Small(), months, seed, options);
      ASSERT_TRUE(stack.ok()) << stack.status().message();
      const TableSet& set = stack->set;
      const std::string what = "seed " + std::to_string(seed) +
                               (cost == CostKind::kUnity ? " unity" : " value");

      const SuppressionPattern greedy = MustProtect(set, cost, /*cleanup=*/false);
      for (bool decompose : {true, false}) {
        const SuppressionPattern p = MustProtect(set, cost, /*cleanup=*/true, decompose);
        const AuditReport audit = MustAudit(set, SuppressedCells(p));
        EXPECT_TRUE(audit.passed()) << what << ": " << audit.failures[0];
        EXPECT_EQ(p.primary, greedy.primary) << what;
        EXPECT_EQ(p.secondary, greedy.secondary - p.released) << what;
        for (const Cell& c : set.cells()) {
          const CellState was = greedy.state[c.id], now = p.state[c.id];
          if (now == was) continue;
          // The only change: a secondary suppression of this run published again.
          EXPECT_EQ(was, CellState::kSecondary) << what << ": " << set.CellName(c.id);
          EXPECT_EQ(now, CellState::kPublished) << what << ": " << set.CellName(c.id);
          EXPECT_EQ(c.prior, Prior::kNone) << what << ": " << set.CellName(c.id);
        }
        if (decompose) {
          released += p.released;
          EXPECT_EQ(p.state, stack->last.state) << what << ": ProtectMonthByMonth's own run";
          EXPECT_EQ(MustProtect(set, cost, true).state, p.state) << what << ": not deterministic";
        }
      }
      for (const Cell& c : set.cells()) {
        if (c.prior == Prior::kSuppressedBefore && !IsSensitive(set.RuleOf(c.id), c.value)) {
          ++suppressed_before;
        }
      }
    }
  }
  EXPECT_GT(released, 0) << "the clean-up should publish some greedy complements again";
  EXPECT_GT(suppressed_before, 0) << "the stacks should hold complements of earlier months";
}

// The clean-up's solves count against ProtectOptions::max_solves, and reaching the limit there
// stops the clean-up, not the protection: the greedy pattern is already protected, so a limit
// the greedy pass alone stays within gives it back with the candidates untried; a limit the
// greedy pass needs more than is an error, never a partial pattern.
TEST(PipelineProtectCleanupTest, ALimitInTheCleanUpStopsItWithAProtectedPattern) {
  // Two months of a report's tables, whose clean-up makes many solves.
  ProtectOptions options;
  auto stack = ProtectMonthByMonth(ReportShape::Small(), 2, 3, options);
  ASSERT_TRUE(stack.ok()) << stack.status().message();
  const TableSet& set = stack->set;
  const SuppressionPattern greedy = MustProtect(set, CostKind::kValue, /*cleanup=*/false);
  const SuppressionPattern cleaned = MustProtect(set, CostKind::kValue, /*cleanup=*/true);
  ASSERT_GT(cleaned.solves, greedy.solves + 2);
  ASSERT_GT(cleaned.released, 0);
  // Limits from one solve past the greedy pass's to one past the whole run's: the clean-up
  // makes as many solves as it may, then stops with a protected pattern.
  int stopped = 0;
  const int span = cleaned.solves - greedy.solves;
  for (int limit : {greedy.solves + 1, greedy.solves + span / 2, cleaned.solves + 1}) {
    options.max_solves = limit;
    auto p = Protect(set, options);
    ASSERT_TRUE(p.ok()) << "limit " << limit << ": " << p.status().message();
    EXPECT_TRUE(MustAudit(set, SuppressedCells(*p)).passed()) << "limit " << limit;
    EXPECT_LE(p->released, cleaned.released) << "limit " << limit;
    EXPECT_EQ(p->primary, greedy.primary) << "limit " << limit;
    if (p->cleanup_untried > 0) {
      ++stopped;
    } else {
      EXPECT_EQ(p->state, cleaned.state) << "limit " << limit;
    }
  }
  EXPECT_GT(stopped, 0);
  // A limit the greedy pass needs more than is an error, never a partial pattern.
  options.max_solves = 1;
  auto p = Protect(set, options);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kUnsupported);
}

}  // namespace
