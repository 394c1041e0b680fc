// The report's tables of return hubs and removals (issue 20): how facts are drawn from the new
// fields (core/src/pipeline/facts.cc), the three tables added to the catalogue, and which
// releases publish them (TablesOfSeries): only a series whose first release has them.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "pipeline/facts.h"
#include "pipeline/tables.h"

namespace tvault::pipeline {
namespace {

v1::Testimony HubStay(v1::Arrival arrival, const v1::StayLength& stay) {
  v1::Testimony t;
  t.set_kind(v1::FACILITY);
  v1::FacilityConditions* f = t.mutable_facility();
  f->set_facility_id("RS-RH-01");
  f->set_arrival(arrival);
  if (stay.value_case() != v1::StayLength::VALUE_NOT_SET) *f->mutable_stay_length() = stay;
  v1::ConditionReport* c = f->add_conditions();
  c->set_condition(v1::COLD_EXPOSURE);
  c->set_severity(v1::SEVERE);
  return t;
}

v1::StayLength Days(int d) {
  v1::StayLength s;
  s.set_days(d);
  return s;
}
v1::StayLength Range(int lo, int hi) {
  v1::StayLength s;
  s.mutable_range()->set_min_days(lo);
  s.mutable_range()->set_max_days(hi);
  return s;
}

TEST(RemovalFactsTest, StayBands) {
  auto band = [](const v1::StayLength& s) {
    const int b = StayBandOf(HubStay(v1::ARRIVAL_UNKNOWN, s).facility());
    return kStayBandLabels[static_cast<size_t>(b)];
  };
  EXPECT_STREQ(band(Days(0)), "0-6");
  EXPECT_STREQ(band(Days(6)), "0-6");
  EXPECT_STREQ(band(Days(7)), "7-29");
  EXPECT_STREQ(band(Days(89)), "30-89");
  EXPECT_STREQ(band(Days(90)), "90-179");
  EXPECT_STREQ(band(Days(400)), "180+");
  EXPECT_STREQ(band(Range(30, 60)), "30-89");           // the whole range in one band
  EXPECT_STREQ(band(Range(20, 40)), "range across bands");  // no midpoint is guessed
  v1::StayLength unknown;
  unknown.set_unknown(true);
  EXPECT_STREQ(band(unknown), "unknown");
  EXPECT_STREQ(band(v1::StayLength()), "unknown");       // not asked
  // The report view keeps the band, and only the band.
  for (const v1::StayLength& s : {Days(12), Range(20, 40), Range(30, 60), unknown}) {
    const v1::Testimony t = HubStay(v1::TRANSFERRED_FROM_STATE, s);
    const v1::Testimony view = ReportView(t);
    EXPECT_EQ(StayBandOf(view.facility()), StayBandOf(t.facility()));
    EXPECT_EQ(view.facility().arrival(), v1::TRANSFERRED_FROM_STATE);
  }
}

TEST(RemovalFactsTest, TablesCountArrivalStayAndSiteRemovals) {
  const std::map<std::string, std::string> types = {{"RS-RH-01", "return_hub"},
                                                    {"RS-ASY-01", "asylum"}};
  MonthFacts m;
  ASSERT_TRUE(
      AddTestimonyFacts(HubStay(v1::TRANSFERRED_FROM_STATE, Days(40)), true, types, "a", &m).ok());
  ASSERT_TRUE(
      AddTestimonyFacts(HubStay(v1::ARRIVAL_UNSPECIFIED, v1::StayLength()), true, types, "b", &m)
          .ok());
  v1::Testimony removal;
  removal.set_kind(v1::PUSHBACK);
  removal.mutable_pushback()->set_incident_kind(v1::SITE_REMOVAL);
  removal.mutable_pushback()->set_removed_to_facility_id("RS-ASY-01");
  removal.mutable_pushback()->set_group_size(30);
  ASSERT_TRUE(AddTestimonyFacts(removal, true, types, "c", &m).ok());
  // A site removal is no pushback: in no pushback table.
  EXPECT_EQ(m.pushbacks, 0);
  EXPECT_TRUE(m.routes.empty());

  std::set<std::string> folded;
  const Categories cats = GrowCategories({}, {}, 1, &m, &folded);
  auto count = [&](const std::string& table, const std::string& row) {
    const TableSpec* spec = FindTable(table);
    EXPECT_NE(spec, nullptr) << table;
    EXPECT_TRUE(spec->added_later) << table;
    const Counts c = CountTable(*spec, cats, m);
    const std::vector<std::string> rows = RowLabels(*spec, cats);
    for (size_t i = 0; i < rows.size(); ++i) {
      if (rows[i] == row) return c[0][i];
    }
    ADD_FAILURE() << table << " has no row " << row;
    return int64_t{-1};
  };
  EXPECT_EQ(count("facility_testimonies_by_arrival", "transferred_from_state"), 1);
  EXPECT_EQ(count("facility_testimonies_by_arrival", "unknown"), 1);  // unspecified is unknown
  EXPECT_EQ(count("facility_stay_length", "30-89"), 1);
  EXPECT_EQ(count("facility_stay_length", "unknown"), 1);
  EXPECT_EQ(count("site_removals_by_facility_type", "asylum"), 1);
  EXPECT_EQ(count("site_removals_by_facility_type", "return_hub"), 0);
  // The facility tables by type have return hubs: the closed list of types.
  const std::vector<std::string> rows = RowLabels(*FindTable("facility_type_conditions"), cats);
  EXPECT_NE(std::find(rows.begin(), rows.end(), "return_hub"), rows.end());
  EXPECT_NE(std::find(rows.begin(), rows.end(), "pre_removal_detention"), rows.end());
}

TEST(RemovalFactsTest, TablesOfSeries) {
  std::vector<std::string> all;
  for (const TableSpec& t : TableCatalogue()) all.push_back(t.name);
  // The first release of a series publishes every table.
  EXPECT_EQ(TablesOfSeries(all, nullptr), all);
  // A series whose previous release had none of the new tables keeps its table set.
  std::set<std::string> old_release;
  for (const TableSpec& t : TableCatalogue()) {
    if (!t.added_later) old_release.insert(t.name);
  }
  const std::vector<std::string> kept = TablesOfSeries(all, &old_release);
  EXPECT_EQ(std::set<std::string>(kept.begin(), kept.end()), old_release);
  EXPECT_EQ(kept.size(), all.size() - 3);
  // One whose previous release had them keeps them.
  const std::set<std::string> new_release(all.begin(), all.end());
  EXPECT_EQ(TablesOfSeries(all, &new_release), all);
}

}  // namespace
}  // namespace tvault::pipeline
