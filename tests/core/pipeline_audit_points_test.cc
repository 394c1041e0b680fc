// Tests of the self-audit's known points (AuditOptions::points): the protection's checked
// certificates decide cells without a solve, with the same verdicts as a full audit; a point
// that does not check (it moves a published cell, breaks a relation, or goes below a bound)
// is ignored, so no point can make an exposed cell pass.
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/attack.h"
#include "pipeline/protect.h"
#include "pipeline/table_set.h"

namespace {

using tvault::pipeline::Audit;
using tvault::pipeline::AuditOptions;
using tvault::pipeline::AuditReport;
using tvault::pipeline::CellAudit;
using tvault::pipeline::CellId;
using tvault::pipeline::PeopleRule;
using tvault::pipeline::Protect;
using tvault::pipeline::SuppressionPattern;
using tvault::pipeline::TableSet;
using tvault::pipeline::WithheldFrom;
using Points = std::vector<std::vector<std::pair<CellId, int64_t>>>;

// A 10 x 7 table of many small counts, zeros among them, and its margins.
TableSet RandomTable(unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> rows, cols;
  for (int i = 0; i < 10; ++i) rows.push_back("r" + std::to_string(i));
  for (int j = 0; j < 7; ++j) cols.push_back("c" + std::to_string(j));
  std::vector<std::vector<int64_t>> counts(rows.size(), std::vector<int64_t>(cols.size()));
  for (auto& row : counts) {
    for (int64_t& v : row) v = rng() % 4 == 0 ? 0 : static_cast<int64_t>(rng() % 14);
  }
  TableSet set;
  EXPECT_TRUE(set.AddTable2D("t", PeopleRule(), rows, cols, counts).ok());
  return set;
}

std::vector<bool> SuppressedOf(const SuppressionPattern& p) {
  std::vector<bool> out(p.state.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = p.Suppressed(static_cast<CellId>(i));
  return out;
}

AuditReport MustAudit(const TableSet& set, const std::vector<bool>& suppressed,
                      const Points* points) {
  AuditOptions options;
  options.points = points;
  auto r = Audit(set, WithheldFrom(set, suppressed), options);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : AuditReport{};
}

TEST(PipelineAuditPointsTest, CertificatesDecideCellsWithTheSameVerdictAndFewerSolves) {
  for (unsigned seed : {1u, 2u, 3u, 4u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const TableSet set = RandomTable(seed);
    auto pattern = Protect(set, {});
    ASSERT_TRUE(pattern.ok()) << pattern.status().message();
    ASSERT_FALSE(pattern->certificates.empty());
    const std::vector<bool> suppressed = SuppressedOf(*pattern);
    const AuditReport full = MustAudit(set, suppressed, nullptr);
    const AuditReport quick = MustAudit(set, suppressed, &pattern->certificates);
    EXPECT_TRUE(full.passed());
    EXPECT_TRUE(quick.passed());
    EXPECT_EQ(quick.points_rejected, 0);
    EXPECT_GT(quick.cells_from_points, 0);
    EXPECT_LT(quick.solves, full.solves);
    ASSERT_EQ(quick.cells.size(), full.cells.size());
    for (size_t i = 0; i < full.cells.size(); ++i) {
      const CellAudit& a = full.cells[i];
      const CellAudit& b = quick.cells[i];
      ASSERT_EQ(a.cell, b.cell);
      EXPECT_EQ(a.ilp_ok, b.ilp_ok) << a.name;
      if (!b.from_points) continue;
      // Known values lie inside the attacker's true ranges.
      EXPECT_GE(b.ilp_lo, a.ilp_lo) << a.name;
      EXPECT_LE(b.ilp_hi, a.ilp_hi) << a.name;
    }
  }
}

TEST(PipelineAuditPointsTest, APointThatDoesNotCheckIsIgnoredAndCannotHideADisclosure) {
  TableSet set;
  ASSERT_TRUE(set.AddTable2D("t", PeopleRule(), {"A", "B", "C"}, {"x", "y", "z"},
                             {{2, 10, 12}, {8, 9, 11}, {7, 6, 13}})
                  .ok());
  auto ax = set.Find("t", {"A", "x"});
  auto ay = set.Find("t", {"A", "y"});
  auto bx = set.Find("t", {"B", "x"});
  auto by = set.Find("t", {"B", "y"});
  ASSERT_TRUE(ax.ok() && ay.ok() && bx.ok() && by.ok());
  // A single suppressed cell is recovered from its row: an exact disclosure.
  std::vector<bool> alone(set.cells().size(), false);
  alone[*ax] = true;
  // A point that moves it alone breaks its row and column; one that also moves a published
  // cell to balance them moves a cell the attacker sees.
  const Points forged = {{{*ax, 5}}, {{*ax, 5}, {*ay, -5}, {*bx, -5}, {*by, 5}}};
  const AuditReport r = MustAudit(set, alone, &forged);
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(r.points_rejected, 2);
  EXPECT_EQ(r.cells_from_points, 0);

  // The four corners suppressed: a point that takes a cell below 1 does not check either,
  // and one in range does.
  std::vector<bool> corners = alone;
  corners[*ay] = corners[*bx] = corners[*by] = true;
  const Points mixed = {{{*ax, -2}, {*ay, 2}, {*bx, 2}, {*by, -2}},
                        {{*ax, 6}, {*ay, -6}, {*bx, -6}, {*by, 6}}};
  const AuditReport c = MustAudit(set, corners, &mixed);
  EXPECT_EQ(c.points_rejected, 1);
  const AuditReport full = MustAudit(set, corners, nullptr);
  EXPECT_EQ(c.passed(), full.passed());
}

}  // namespace
