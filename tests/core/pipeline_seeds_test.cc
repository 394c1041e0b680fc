// Certificates carried from earlier releases (ProtectOptions::seeds): a seed that checks and
// moves only withheld cells meets its demand without a solve; one that does not check is
// ignored and changes nothing; every seed still valid at the end is passed on.
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

}  // namespace
