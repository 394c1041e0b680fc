// Certificates carried from earlier releases (ProtectOptions::seeds): a seed that checks meets
// its demand without a solve, suppressing this release's cells it moves when they are
// published; one that does not check is ignored and changes nothing; every seed still valid at
// the end is passed on.
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
using tvault::pipeline::CellId;
using tvault::pipeline::PeopleRule;
using tvault::pipeline::Prior;
using tvault::pipeline::Protect;
using tvault::pipeline::ProtectOptions;
using tvault::pipeline::SuppressionPattern;
using tvault::pipeline::TableSet;
using tvault::pipeline::WithheldFrom;
using tvault::testing::SuppressedCells;
using Seeds = std::vector<std::vector<std::pair<CellId, int64_t>>>;

// January, published earlier, its 2 protected by the rectangle A/B x x/y (priors say so), and
// this release's February of the same shape with no small cell.
TableSet TwoReleases() {
  TableSet set;
  const std::vector<std::string> rows = {"A", "B"}, cols = {"x", "y", "z"};
  auto jan = set.AddTable2D("jan", PeopleRule(), rows, cols, {{2, 8, 20}, {9, 7, 30}});
  auto feb = set.AddTable2D("feb", PeopleRule(), rows, cols, {{5, 9, 25}, {12, 6, 40}});
  EXPECT_TRUE(jan.ok() && feb.ok());
  EXPECT_TRUE(set.SetTablePrior(*jan, Prior::kPublishedBefore).ok());
  for (const auto& labels : std::vector<std::vector<std::string>>{
           {"A", "x"}, {"A", "y"}, {"B", "x"}, {"B", "y"}}) {
    EXPECT_TRUE(set.SetPrior(*set.Find("jan", labels), Prior::kSuppressedBefore).ok());
  }
  return set;
}

// January's rectangle moved by `d` (up at A/x and B/y, down at A/y and B/x).
std::vector<std::pair<CellId, int64_t>> Rectangle(const TableSet& set, int64_t d) {
  std::vector<std::pair<CellId, int64_t>> c = {{*set.Find("jan", {"A", "x"}), d},
                                               {*set.Find("jan", {"A", "y"}), -d},
                                               {*set.Find("jan", {"B", "x"}), -d},
                                               {*set.Find("jan", {"B", "y"}), d}};
  std::sort(c.begin(), c.end());
  return c;
}

SuppressionPattern MustProtect(const TableSet& set, const Seeds* seeds) {
  ProtectOptions options;
  options.skip_settled_blocks = false;  // January's demands are made again
  options.seeds = seeds;
  auto p = Protect(set, options);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? *p : SuppressionPattern{};
}

TEST(PipelineSeedsTest, AValidSeedMeetsItsDemandsWithoutASolve) {
  const TableSet set = TwoReleases();
  const SuppressionPattern plain = MustProtect(set, nullptr);
  ASSERT_GT(plain.solves, 0);
  // January's 2 must be able to rise by 2 (it need not fall: LPL(2) = 0). The first seed
  // proves that; the second is valid but proves no demand.
  const Seeds seeds = {Rectangle(set, 6), Rectangle(set, -1)};
  const SuppressionPattern seeded = MustProtect(set, &seeds);
  EXPECT_EQ(seeded.seeds_rejected, 0);
  EXPECT_EQ(seeded.seeded, 1);
  EXPECT_EQ(seeded.solves, 0);
  EXPECT_EQ(seeded.state, plain.state);
  // Both seeds hold under the final pattern and are passed on.
  EXPECT_EQ(seeded.certificates.size(), 2u);
  auto audit = Audit(set, WithheldFrom(set, SuppressedCells(seeded)), AuditOptions());
  ASSERT_TRUE(audit.ok()) << audit.status().message();
  EXPECT_TRUE(audit->passed());
}

TEST(PipelineSeedsTest, SeedsThatDoNotCheckAreIgnored) {
  const TableSet set = TwoReleases();
  const SuppressionPattern plain = MustProtect(set, nullptr);
  std::vector<std::pair<CellId, int64_t>> broken = Rectangle(set, 6);
  broken.back().second += 1;                   // a row no longer adds up
  const Seeds seeds = {broken,
                       Rectangle(set, -2),     // January's 2 would fall to 0
                       {{*set.Find("jan", {"A", "z"}), 1}, {*set.Find("jan", {"B", "z"}), -1}},
                       {{99999, 1}}};          // no such cell
  const SuppressionPattern seeded = MustProtect(set, &seeds);
  EXPECT_EQ(seeded.seeds_rejected, 4);
  EXPECT_EQ(seeded.seeded, 0);
  EXPECT_EQ(seeded.state, plain.state);
  EXPECT_EQ(seeded.solves, plain.solves);
}

// January as in TwoReleases, and this release's year to date = January + February cellwise.
// January's certificate, carried into the year to date, moves the same four cells there.
TEST(PipelineSeedsTest, ASeedMovingThisReleasesPublishedCellsIsRepairedBySuppressingThem) {
  TableSet set = TwoReleases();
  auto ytd = set.AddTable2D("ytd", PeopleRule(), {"A", "B"}, {"x", "y", "z"},
                            {{7, 17, 45}, {21, 13, 70}});
  ASSERT_TRUE(ytd.ok());
  ASSERT_TRUE(set.AddCellwiseSum(*ytd, {0, 1}).ok());
  std::vector<std::pair<CellId, int64_t>> carried = Rectangle(set, 6);
  for (const auto& [cell, d] : std::vector<std::pair<CellId, int64_t>>(carried)) {
    carried.emplace_back(*set.Find("ytd", set.cells()[cell].labels), d);
  }
  std::sort(carried.begin(), carried.end());
  const Seeds seeds = {carried};

  ProtectOptions options;
  options.skip_settled_blocks = false;
  options.cleanup = false;  // the greedy pass's own choice
  auto plain = Protect(set, options);
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  ASSERT_GT(plain->solves, 0);  // without the seed, January's 2 needs a solve

  options.seeds = &seeds;
  auto seeded = Protect(set, options);
  ASSERT_TRUE(seeded.ok()) << seeded.status().message();
  EXPECT_EQ(seeded->seeds_rejected, 0);
  EXPECT_EQ(seeded->seeded, 1);
  EXPECT_EQ(seeded->solves, 0);
  for (const auto& labels : std::vector<std::vector<std::string>>{
           {"A", "x"}, {"A", "y"}, {"B", "x"}, {"B", "y"}}) {
    EXPECT_EQ(seeded->state[*set.Find("ytd", labels)], tvault::pipeline::CellState::kSecondary)
        << labels[0] << "/" << labels[1];
  }
  // January's three complements of its 2 kept, and the year to date's four new.
  EXPECT_EQ(seeded->secondary, 3 + 4);
  auto audit = Audit(set, WithheldFrom(set, SuppressedCells(*seeded)), AuditOptions());
  ASSERT_TRUE(audit.ok()) << audit.status().message();
  EXPECT_TRUE(audit->passed());

  // With the clean-up the result is still protected.
  options.cleanup = true;
  auto cleaned = Protect(set, options);
  ASSERT_TRUE(cleaned.ok()) << cleaned.status().message();
  auto audit2 = Audit(set, WithheldFrom(set, SuppressedCells(*cleaned)), AuditOptions());
  ASSERT_TRUE(audit2.ok()) << audit2.status().message();
  EXPECT_TRUE(audit2->passed());
}

}  // namespace
