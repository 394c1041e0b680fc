// Tests of primary and secondary suppression (pipeline/protect.h), each checked by the
// independent self-audit (pipeline/attack.h): the naive primary-only pattern of every classic
// trap is caught, the protected pattern passes, and every published cell is 0 or >= k.
#include "pipeline/protect.h"

#include <chrono>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/attack.h"
#include "pipeline/table_set.h"

namespace {

using tvault::Code;
using tvault::pipeline::Audit;
using tvault::pipeline::AuditOptions;
using tvault::pipeline::AuditReport;
using tvault::pipeline::Cell;
using tvault::pipeline::CellId;
using tvault::pipeline::CellState;
using tvault::pipeline::CostKind;
using tvault::pipeline::PeopleRule;
using tvault::pipeline::PrimaryPattern;
using tvault::pipeline::Prior;
using tvault::pipeline::Protect;
using tvault::pipeline::ProtectionRule;
using tvault::pipeline::ProtectOptions;
using tvault::pipeline::SuppressionPattern;
using tvault::pipeline::Table;
using tvault::pipeline::TableSet;
using tvault::pipeline::TestimonyRule;
using tvault::pipeline::WithheldFrom;

std::vector<bool> SuppressedOf(const SuppressionPattern& p) {
  std::vector<bool> out(p.state.size());
  for (size_t i = 0; i < p.state.size(); ++i) out[i] = p.Suppressed(static_cast<CellId>(i));
  return out;
}

AuditReport AuditPattern(const TableSet& set, const std::vector<bool>& suppressed) {
  auto r = Audit(set, WithheldFrom(set, suppressed), AuditOptions{});
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : AuditReport{};
}

// The primary-only pattern must fail the audit.
void ExpectPrimaryOnlyFails(const TableSet& set) {
  const AuditReport r = AuditPattern(set, SuppressedOf(PrimaryPattern(set)));
  EXPECT_FALSE(r.passed()) << "the primary-only pattern should be caught";
}

// Protects, audits, and checks the invariants every protected pattern must keep.
SuppressionPattern ProtectAndAudit(const TableSet& set, ProtectOptions options = {}) {
  auto pattern = Protect(set, options);
  EXPECT_TRUE(pattern.ok()) << pattern.status().message();
  if (!pattern.ok()) return {};
  const AuditReport r = AuditPattern(set, SuppressedOf(*pattern));
  EXPECT_TRUE(r.passed()) << (r.failures.empty() ? "" : r.failures[0]);
  for (const Cell& c : set.cells()) {
    if (c.hidden) {
      EXPECT_EQ(pattern->state[c.id], CellState::kHidden);
      continue;
    }
    if (!pattern->Withheld(c.id)) {
      EXPECT_TRUE(c.value == 0 || c.value >= set.RuleOf(c.id).k) << set.CellName(c.id);
    } else {
      EXPECT_GE(c.value, 1) << "a zero was suppressed: " << set.CellName(c.id);
    }
  }
  return *pattern;
}

bool IsSuppressed(const TableSet& set, const SuppressionPattern& p, const std::string& table,
                  const std::vector<std::string>& labels) {
  auto id = set.Find(table, labels);
  EXPECT_TRUE(id.ok());
  return id.ok() && p.Suppressed(*id);
}

TEST(PipelineProtectTest, NoSensitiveCellsSuppressesNothing) {
  TableSet set;
  ASSERT_TRUE(set.AddTable2D("t", PeopleRule(), {"A", "B"}, {"x", "y"}, {{5, 0}, {12, 30}}).ok());
  const SuppressionPattern p = ProtectAndAudit(set);
  EXPECT_EQ(p.primary, 0);
  EXPECT_EQ(p.secondary, 0);
  for (CellState s : p.state) EXPECT_EQ(s, CellState::kPublished);
}

TEST(PipelineProtectTest, ZerosArePublishedAndNeverUsedAsComplements) {
  TableSet set;
  ASSERT_TRUE(set.AddTable2D("t", PeopleRule(), {"A", "B", "C"}, {"x", "y", "z"},
                             {{0, 3, 0}, {0, 14, 22}, {6, 0, 9}})
                  .ok());
  const SuppressionPattern p = ProtectAndAudit(set);
  EXPECT_TRUE(IsSuppressed(set, p, "t", {"A", "y"}));
  EXPECT_TRUE(IsSuppressed(set, p, "t", {"A", "Total"}));  // 3 < 5 as well
  for (const Cell& c : set.cells()) {
    if (c.value == 0) EXPECT_EQ(p.state[c.id], CellState::kPublished) << set.CellName(c.id);
  }
}

TEST(PipelineProtectTest, SingleSuppressionInARow) {
  TableSet set;
  ASSERT_TRUE(set.AddTable2D("route", PeopleRule(), {"A", "B", "C"}, {"x", "y", "z"},
                             {{2, 10, 12}, {8, 9, 11}, {7, 6, 13}})
                  .ok());
  ExpectPrimaryOnlyFails(set);
  const SuppressionPattern p = ProtectAndAudit(set);
  EXPECT_EQ(p.primary, 1);
  EXPECT_GE(p.secondary, 3);  // at least a rectangle
}

TEST(PipelineProtectTest, FifteenEqualsTenPlusThreePlusXPlusX) {
  TableSet set;
  ASSERT_TRUE(set.AddTable2D("t", TestimonyRule(), {"A", "B", "C"}, {"w", "x", "y", "z"},
                             {{10, 3, 1, 1}, {20, 4, 1, 1}, {7, 8, 9, 6}})
                  .ok());
  ExpectPrimaryOnlyFails(set);
  const SuppressionPattern p = ProtectAndAudit(set);
  EXPECT_EQ(p.primary, 4);
  EXPECT_GT(p.secondary, 0);
}

TEST(PipelineProtectTest, IntegralityTrap) {
  ProtectionRule rule = TestimonyRule();
  rule.upper_percent = rule.lower_percent = rule.width_percent = 0;
  rule.upper_min = rule.lower_min = 0;
  rule.width_min = 1;
  TableSet set;
  ASSERT_TRUE(set.AddTable1D("p", rule, {"u", "v"}, {1, 5}).ok());
  ASSERT_TRUE(set.AddTable1D("q", rule, {"v", "w"}, {5, 1}).ok());
  ASSERT_TRUE(set.AddTable1D("r", rule, {"u", "w", "s"}, {1, 1, 2}).ok());
  auto id = [&](const std::string& t, const std::string& l) { return *set.Find(t, {l}); };
  ASSERT_TRUE(set.AddSumRelation(id("q", "v"), {id("p", "v")}, "v shared").ok());
  ASSERT_TRUE(set.AddSumRelation(id("r", "u"), {id("p", "u")}, "u shared").ok());
  ASSERT_TRUE(set.AddSumRelation(id("r", "w"), {id("q", "w")}, "w shared").ok());
  ExpectPrimaryOnlyFails(set);
  ProtectAndAudit(set);
}

// People by pushed-from x pushed-to, and people by pushed-from alone: the 1-D table repeats
// the row totals of the 2-D one. Protected each on its own, "route" hides the HR row total as
// the complement of HU's (4), while "from" hides RS instead and publishes HR = 53: linked,
// that pins the HU row again.
TEST(PipelineProtectTest, LinkedTwoDimensionalTableAndItsMargin) {
  const std::vector<std::string> from = {"HR", "HU", "RS"}, to = {"BA", "RS", "SRB"};
  const std::vector<std::vector<int64_t>> route = {{6, 7, 40}, {1, 3, 0}, {20, 25, 6}};
  const std::vector<int64_t> by_from = {53, 4, 51};
  TableSet linked;
  auto two = linked.AddTable2D("route", PeopleRule(), from, to, route);
  auto one = linked.AddTable1D("from", PeopleRule(), from, by_from);
  ASSERT_TRUE(two.ok() && one.ok());
  ASSERT_TRUE(linked.AddMarginLink(*two, 0, *one).ok());
  ExpectPrimaryOnlyFails(linked);

  TableSet alone2, alone1;
  ASSERT_TRUE(alone2.AddTable2D("route", PeopleRule(), from, to, route).ok());
  ASSERT_TRUE(alone1.AddTable1D("from", PeopleRule(), from, by_from).ok());
  auto p2 = Protect(alone2, {});
  auto p1 = Protect(alone1, {});
  ASSERT_TRUE(p2.ok() && p1.ok());
  std::vector<bool> merged(linked.cells().size(), false);
  for (const TableSet* s : {&alone2, &alone1}) {
    const SuppressionPattern& p = s == &alone2 ? *p2 : *p1;
    for (const Cell& c : s->cells()) {
      if (p.Suppressed(c.id)) merged[*linked.Find(s->tables()[c.table].name, c.labels)] = true;
    }
  }
  const AuditReport naive = AuditPattern(linked, merged);
  EXPECT_FALSE(naive.passed()) << "tables protected one by one should be caught";

  const SuppressionPattern p = ProtectAndAudit(linked);
  // A margin shared by two tables is either published in both or withheld in both.
  for (size_t i = 0; i < from.size(); ++i) {
    EXPECT_EQ(IsSuppressed(linked, p, "route", {from[i], "Total"}),
              IsSuppressed(linked, p, "from", {from[i]}))
        << from[i];
  }
}

// September's year-to-date table was published last month with its own pattern, now fixed.
// October's monthly table and October's year-to-date table are new, and
// YTD(Oct) = YTD(Sep) + Oct cell by cell.
struct TwoMonths {
  TableSet set;
  int sep = 0, oct = 0, ytd = 0;
};

void BuildTwoMonths(TwoMonths* m, bool hide_october) {
  const std::vector<std::string> rows = {"HR", "HU", "RS"}, cols = {"BA", "RS", "SRB"};
  const std::vector<std::vector<int64_t>> sep = {{40, 22, 25}, {30, 18, 9}, {16, 12, 27}};
  const std::vector<std::vector<int64_t>> oct = {{2, 9, 11}, {11, 7, 6}, {8, 3, 10}};
  std::vector<std::vector<int64_t>> ytd = sep;
  for (size_t r = 0; r < 3; ++r) {
    for (size_t c = 0; c < 3; ++c) ytd[r][c] += oct[r][c];
  }
  m->sep = *m->set.AddTable2D("ytd_sep", PeopleRule(), rows, cols, sep);
  m->oct = *m->set.AddTable2D("oct", PeopleRule(), rows, cols, oct);
  m->ytd = *m->set.AddTable2D("ytd_oct", PeopleRule(), rows, cols, ytd);
  ASSERT_TRUE(m->set.AddCellwiseSum(m->ytd, {m->sep, m->oct}).ok());
  // September needed nothing suppressed; it was published in full.
  ASSERT_TRUE(m->set.SetTablePrior(m->sep, Prior::kPublishedBefore).ok());
  if (hide_october) {
    for (const Cell& c : std::vector<Cell>(m->set.cells())) {
      if (c.table == m->oct) ASSERT_TRUE(m->set.SetHidden(c.id, true).ok());
    }
  }
}

TEST(PipelineProtectTest, YearToDateDifferenceWithMonthlyTablePublished) {
  TwoMonths m;
  BuildTwoMonths(&m, /*hide_october=*/false);
  ExpectPrimaryOnlyFails(m.set);
  // October protected on its own (as a monthly report would be) and year-to-date published
  // in full, since none of its cells is small: October = YTD(Oct) - YTD(Sep).
  TableSet oct_alone;
  const Table& oct = m.set.tables()[m.oct];
  std::vector<std::vector<int64_t>> counts(3, std::vector<int64_t>(3));
  for (size_t i = 0; i < 9; ++i) counts[i / 3][i % 3] = m.set.cells()[oct.interior[i]].value;
  ASSERT_TRUE(oct_alone.AddTable2D("oct", PeopleRule(), oct.dims[0], oct.dims[1], counts).ok());
  auto alone = Protect(oct_alone, {});
  ASSERT_TRUE(alone.ok());
  std::vector<bool> naive(m.set.cells().size(), false);
  for (const Cell& c : oct_alone.cells()) {
    if (alone->Suppressed(c.id)) naive[*m.set.Find("oct", c.labels)] = true;
  }
  const AuditReport r = AuditPattern(m.set, naive);
  ASSERT_FALSE(r.passed());
  EXPECT_NE(r.failures[0].find("exact disclosure"), std::string::npos) << r.failures[0];
  const SuppressionPattern p = ProtectAndAudit(m.set);
  EXPECT_TRUE(IsSuppressed(m.set, p, "oct", {"HR", "BA"}));
  EXPECT_TRUE(IsSuppressed(m.set, p, "ytd_oct", {"HR", "BA"}));  // else Oct = YTD - Sep
  for (const Cell& c : m.set.cells()) {
    if (c.table == m.sep) EXPECT_EQ(p.state[c.id], CellState::kPublished);
  }
}

TEST(PipelineProtectTest, YearToDateDifferenceWithMonthHidden) {
  TwoMonths m;
  BuildTwoMonths(&m, /*hide_october=*/true);
  ExpectPrimaryOnlyFails(m.set);  // nothing is suppressed, yet October's 2 and 3 are exact
  const SuppressionPattern p = ProtectAndAudit(m.set);
  EXPECT_TRUE(IsSuppressed(m.set, p, "ytd_oct", {"HR", "BA"}));
  EXPECT_TRUE(IsSuppressed(m.set, p, "ytd_oct", {"RS", "RS"}));
}

// A 12 x 8 table with many small cells and zeros, as a deterministic pseudo-random draw.
TableSet RandomTable(uint32_t seed, int rows, int cols) {
  std::mt19937 rng(seed);
  std::vector<std::string> r, c;
  for (int i = 0; i < rows; ++i) r.push_back("r" + std::to_string(i));
  for (int j = 0; j < cols; ++j) c.push_back("c" + std::to_string(j));
  std::vector<std::vector<int64_t>> counts(rows, std::vector<int64_t>(cols));
  for (auto& row : counts) {
    for (int64_t& v : row) {
      const uint32_t x = rng() % 100;
      v = x < 25 ? 0 : x < 60 ? 1 + rng() % 4 : 5 + rng() % 40;
    }
  }
  TableSet set;
  EXPECT_TRUE(set.AddTable2D("random", PeopleRule(), r, c, counts).ok());
  return set;
}

TEST(PipelineProtectTest, LargeRandomTableIsProtectedInReasonableTime) {
  const TableSet set = RandomTable(20261001, 12, 8);
  ExpectPrimaryOnlyFails(set);
  for (CostKind cost : {CostKind::kValue, CostKind::kUnity}) {
    ProtectOptions options;
    options.cost = cost;
    const auto t0 = std::chrono::steady_clock::now();
    auto p = Protect(set, options);
    const auto t1 = std::chrono::steady_clock::now();
    ASSERT_TRUE(p.ok()) << p.status().message();
    auto r = Audit(set, WithheldFrom(set, SuppressedOf(*p)), AuditOptions{});
    const auto t2 = std::chrono::steady_clock::now();
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_TRUE(r->passed()) << r->failures[0];
    using ms = std::chrono::duration<double, std::milli>;
    std::cout << "[ 12x8 " << (cost == CostKind::kValue ? "value" : "unity") << " ] "
              << set.cells().size() << " cells, " << p->primary << " primary, " << p->secondary
              << " secondary, " << p->solves << " solves in " << ms(t1 - t0).count()
              << " ms; audit " << r->solves << " solves in " << ms(t2 - t1).count() << " ms\n";
    ProtectAndAudit(set, options);
  }
}

TEST(PipelineProtectTest, Deterministic) {
  const TableSet a = RandomTable(7, 10, 6);
  const TableSet b = RandomTable(7, 10, 6);
  auto pa = Protect(a, {});
  auto pb = Protect(b, {});
  auto pa2 = Protect(a, {});
  ASSERT_TRUE(pa.ok() && pb.ok() && pa2.ok());
  EXPECT_EQ(pa->state, pb->state);
  EXPECT_EQ(pa->state, pa2->state);
  EXPECT_EQ(pa->secondary, pb->secondary);
}

TEST(PipelineProtectTest, UnprotectableCellIsAnErrorNamingIt) {
  TableSet set;
  ASSERT_TRUE(set.AddTable1D("t", PeopleRule(), {"a", "b"}, {3, 10}).ok());
  ASSERT_TRUE(set.SetPrior(*set.Find("t", {"b"}), Prior::kPublishedBefore).ok());
  ASSERT_TRUE(set.SetPrior(*set.Find("t", {"Total"}), Prior::kPublishedBefore).ok());
  auto p = Protect(set, {});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  EXPECT_NE(p.status().message().find("table 't' [a] cannot be protected"), std::string::npos)
      << p.status().message();
}

TEST(PipelineProtectTest, SmallCellPublishedBeforeIsAnError) {
  TableSet set;
  ASSERT_TRUE(set.AddTable1D("t", PeopleRule(), {"a", "b"}, {3, 10}).ok());
  ASSERT_TRUE(set.SetTablePrior(0, Prior::kPublishedBefore).ok());
  EXPECT_EQ(Protect(set, {}).status().code(), Code::kInvalidArgument);
}

TEST(PipelineProtectTest, LimitsAreErrorsNotPartialPatterns) {
  const TableSet set = RandomTable(3, 6, 5);
  ProtectOptions options;
  options.max_solves = 1;
  auto p = Protect(set, options);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kUnsupported);
  options.max_solves = 0;
  EXPECT_EQ(Protect(set, options).status().code(), Code::kInvalidArgument);
}

TEST(PipelineProtectTest, TableSetRejectsBadInput) {
  TableSet set;
  EXPECT_FALSE(set.AddTable1D("t", PeopleRule(), {"a", "Total"}, {1, 2}).ok());
  EXPECT_FALSE(set.AddTable1D("t", PeopleRule(), {"a", "a"}, {1, 2}).ok());
  EXPECT_FALSE(set.AddTable1D("t", PeopleRule(), {"a"}, {-1}).ok());
  EXPECT_FALSE(set.AddTable2D("u", PeopleRule(), {"a"}, {"x", "y"}, {{1}}).ok());
  ProtectionRule bad = PeopleRule();
  bad.k = 0;
  EXPECT_FALSE(set.AddTable1D("t", bad, {"a"}, {1}).ok());
  ASSERT_TRUE(set.AddTable1D("t", PeopleRule(), {"a", "b"}, {1, 2}).ok());
  EXPECT_FALSE(set.AddTable1D("t", PeopleRule(), {"a"}, {1}).ok());  // duplicate name
  // A relation the counts do not satisfy is refused.
  EXPECT_FALSE(set.AddSumRelation(*set.Find("t", {"a"}), {*set.Find("t", {"b"})}, "x").ok());
  EXPECT_TRUE(set.AddSumRelation(*set.Find("t", {"b"}), {*set.Find("t", {"a"}),
                                                          *set.Find("t", {"a"})}, "2a").ok());
}

TEST(PipelineProtectTest, ProtectionLevelsArePinned) {
  using tvault::pipeline::LowerProtection;
  using tvault::pipeline::UpperProtection;
  using tvault::pipeline::WidthProtection;
  const ProtectionRule r = PeopleRule();
  EXPECT_EQ(r.k, 5);
  EXPECT_EQ(TestimonyRule().k, 3);
  // UPL = max(ceil(30% v), 2); LPL = 0; SPL = 2.
  const int64_t upl[] = {0, 2, 2, 2, 2}, lpl[] = {0, 0, 0, 0, 0};
  for (int64_t v = 1; v <= 4; ++v) {
    EXPECT_EQ(UpperProtection(r, v), upl[v]) << v;
    EXPECT_EQ(LowerProtection(r, v), lpl[v]) << v;
    EXPECT_EQ(WidthProtection(r, v), 2) << v;
  }
  ProtectionRule p = r;
  p.upper_percent = 30;
  p.upper_min = 0;
  EXPECT_EQ(UpperProtection(p, 10), 3);  // 30% of 10 is exactly 3, not 4
  EXPECT_EQ(UpperProtection(p, 11), 4);
  p.lower_percent = 30;
  p.lower_min = 1;  // LPL = min(max(ceil(30% v), 1), v - 1)
  EXPECT_EQ(LowerProtection(p, 1), 0);
  EXPECT_EQ(LowerProtection(p, 2), 1);
  EXPECT_EQ(LowerProtection(p, 4), 2);
  EXPECT_EQ(LowerProtection(p, 10), 3);
}

}  // namespace
