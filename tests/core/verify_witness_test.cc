// The witnesses of report's gate (core/src/verify/witness.cc): integer tables the gate is
// handed (the true counts and the protection's certificates) spare the solves of the cells
// they already show wide enough, and nothing wrong in them can make a cell pass.
#include <gtest/gtest.h>

#include "tvault/report.h"
#include "verify/model.h"
#include "verify/verify_internal.h"

namespace tvault::verify_internal {
namespace {

const char kPeriod[] = "2025-03";
const char kTable[] = "t";

std::string Key(const std::string& row, const std::string& col) {
  return CellKey(kPeriod, kTable, {row, col});
}

// A 2 x 2 table a b / c d with published margins, every interior cell suppressed: the attacker
// holds r1 = a + b, r2 = c + d, c1 = a + c, c2 = b + d and the grand total.
Model TwoByTwo(int64_t a, int64_t b, int64_t c, int64_t d) {
  Model m;
  const v1::ProtectionSettings testimonies =
      CompleteReportSettings(v1::ReportSettings())->testimonies();
  for (const auto& [r, col] : std::vector<std::pair<std::string, std::string>>{
           {"r1", "c1"}, {"r1", "c2"}, {"r2", "c1"}, {"r2", "c2"}}) {
    m.unknown_index[Key(r, col)] = m.unknowns.size();
    m.unknowns.push_back({Key(r, col), true, "report.json", "month/t", "[" + r + ", " + col + "]",
                          testimonies});
  }
  m.published = {{Key("r1", "Total"), a + b}, {Key("r2", "Total"), c + d},
                 {Key("Total", "c1"), a + c}, {Key("Total", "c2"), b + d},
                 {Key("Total", "Total"), a + b + c + d}};
  auto rel = [&](const std::string& x, const std::string& y, const std::string& total) {
    m.relations.push_back({{{x, 1}, {y, 1}, {total, -1}}, "margin"});
  };
  rel(Key("r1", "c1"), Key("r1", "c2"), Key("r1", "Total"));
  rel(Key("r2", "c1"), Key("r2", "c2"), Key("r2", "Total"));
  rel(Key("r1", "c1"), Key("r2", "c1"), Key("Total", "c1"));
  rel(Key("r1", "c2"), Key("r2", "c2"), Key("Total", "c2"));
  rel(Key("r1", "Total"), Key("r2", "Total"), Key("Total", "Total"));
  return m;
}

// The ledger's copy of that table: interior row by row, row totals, column totals, total.
v1::LedgerRelease Truth(int64_t a, int64_t b, int64_t c, int64_t d) {
  v1::LedgerRelease r;
  r.set_month(kPeriod);
  v1::LedgerTable* t = r.add_tables();
  t->set_period(kPeriod);
  t->set_name(kTable);
  for (const char* row : {"r1", "r2"}) t->add_rows(row);
  for (const char* col : {"c1", "c2"}) t->add_columns(col);
  for (int64_t v : {a, b, c, d, a + b, c + d, a + c, b + d, a + b + c + d}) t->add_values(v);
  return r;
}

v1::LedgerMove Move(const std::string& row, const std::string& col, int64_t delta) {
  v1::LedgerMove m;
  m.set_period(kPeriod);
  m.set_table(kTable);
  m.add_labels(row);
  m.add_labels(col);
  m.set_delta(delta);
  return m;
}

// The certificates of `moves` (one per inner list), and the witnesses pointing at them.
struct Given {
  std::vector<v1::LedgerCertificate> certificates;
  VerifyWitnesses witnesses;

  Given(const v1::LedgerRelease* truth, const std::vector<std::vector<v1::LedgerMove>>& moves) {
    for (const auto& change : moves) {
      certificates.emplace_back();
      for (const v1::LedgerMove& m : change) *certificates.back().add_moves() = m;
    }
    witnesses.truth = {truth};
    for (const v1::LedgerCertificate& c : certificates) witnesses.changes.push_back(&c);
  }
};

// The counter of witnessed cells in the summary note, or -1.
int Witnessed(const VerifyCheck& check) {
  const std::string& n = check.notes.at(0);
  const size_t at = n.find(" suppressed cells shown wide enough");
  if (at == std::string::npos) return -1;
  const size_t start = n.rfind("; ", at);
  return std::stoi(n.substr(start + 2, at - start - 2));
}

int Solves(const VerifyCheck& check) {
  const std::string& n = check.notes.at(0);
  const size_t at = n.find(" LP/ILP solves");
  const size_t start = n.rfind("; ", at);
  return std::stoi(n.substr(start + 2, at - start - 2));
}

TEST(VerifyWitnessTest, CheckedCertificatesSpareEverySolve) {
  const Model m = TwoByTwo(5, 7, 10, 3);
  VerifyCheck searched;
  ASSERT_TRUE(AttackModel(m, "report.json", nullptr, 60, false, nullptr, &searched).ok());
  ASSERT_TRUE(searched.failures.empty());
  EXPECT_GT(Solves(searched), 0);

  // The true table, and the same table with a, d up by 3 and b, c down by 3 (and the reverse):
  // every cell then spans at least 6 values, wide enough for any value below k.
  const v1::LedgerRelease truth = Truth(5, 7, 10, 3);
  const Given w(&truth, {{Move("r1", "c1", 3), Move("r1", "c2", -3), Move("r2", "c1", -3),
                          Move("r2", "c2", 3)},
                         {Move("r1", "c1", -3), Move("r1", "c2", 3), Move("r2", "c1", 3),
                          Move("r2", "c2", -2)}});  // breaks r2 and c2: rejected
  VerifyCheck witnessed;
  ASSERT_TRUE(
      AttackModel(m, "report.json", nullptr, 60, false, &w.witnesses, &witnessed).ok());
  EXPECT_TRUE(witnessed.failures.empty());
  EXPECT_EQ(Witnessed(witnessed), 4) << witnessed.notes[0];
  EXPECT_EQ(Solves(witnessed), 0) << witnessed.notes[0];
  EXPECT_NE(witnessed.notes[0].find("(1 fitted, 1 rejected)"), std::string::npos)
      << witnessed.notes[0];
}

// a + b = 3 is certainly below k = 3 for both cells and too narrow: witnesses that claim
// otherwise do not fit, and the cells fail exactly as without them.
TEST(VerifyWitnessTest, WrongWitnessesNeverMakeACellPass) {
  const Model m = TwoByTwo(1, 2, 10, 3);
  VerifyCheck plain;
  ASSERT_TRUE(AttackModel(m, "report.json", nullptr, 60, false, nullptr, &plain).ok());
  ASSERT_FALSE(plain.failures.empty());

  // A change that moves a published margin, one that leaves a cell below 1, one that breaks a
  // relation; and a base that disagrees with the published numbers.
  const v1::LedgerRelease truth = Truth(1, 2, 10, 3);
  const Given w(&truth, {{Move("r1", "c1", 5), Move("r1", "Total", 5), Move("r2", "c1", -5)},
                         {Move("r1", "c1", -1), Move("r1", "c2", 1)},
                         {Move("r1", "c1", 4)}});
  VerifyCheck given;
  ASSERT_TRUE(AttackModel(m, "report.json", nullptr, 60, false, &w.witnesses, &given).ok());
  EXPECT_EQ(given.failures.size(), plain.failures.size());
  EXPECT_NE(given.notes[0].find("(0 fitted, 3 rejected)"), std::string::npos) << given.notes[0];

  // A change that names b twice (+1 and -1) moves nothing: it must not widen b to [1, 3].
  const Given twice(&truth, {{Move("r1", "c2", 1), Move("r1", "c2", -1)}});
  VerifyCheck named_twice;
  ASSERT_TRUE(
      AttackModel(m, "report.json", nullptr, 60, false, &twice.witnesses, &named_twice).ok());
  EXPECT_EQ(named_twice.failures.size(), plain.failures.size());
  EXPECT_NE(named_twice.notes[0].find("(0 fitted, 1 rejected)"), std::string::npos)
      << named_twice.notes[0];

  const v1::LedgerRelease wrong_base = Truth(4, 2, 7, 3);  // r1 = 6, not the published 3
  const Given based_on(&wrong_base, {{Move("r1", "c1", 3), Move("r1", "c2", -3),
                                      Move("r2", "c1", -3), Move("r2", "c2", 3)}});
  VerifyCheck based;
  ASSERT_TRUE(
      AttackModel(m, "report.json", nullptr, 60, false, &based_on.witnesses, &based).ok());
  EXPECT_EQ(based.failures.size(), plain.failures.size());
  EXPECT_EQ(Witnessed(based), 0) << based.notes[0];
}

}  // namespace
}  // namespace tvault::verify_internal
