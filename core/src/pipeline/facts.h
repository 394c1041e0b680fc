// The "select" and "generalise" stages: from a record's latest version to the coarse facts
// the tables count. Nothing here keeps free text, identities, GPS points, municipalities, exact
// dates or exact ages: what leaves this stage is a month, country codes, category codes and
// counts.
#ifndef TVAULT_PIPELINE_FACTS_H_
#define TVAULT_PIPELINE_FACTS_H_

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tvault/store.h"

namespace tvault::pipeline {

// Age bands of docs/methodology.md, in publication order; kAgeUnknown also takes the people of
// a group whose age was not given.
enum AgeBandIndex { kAge0to13, kAge14to17, kAge18to25, kAge26to35, kAge36Plus, kAgeUnknown };
constexpr int kAgeBands = 6;
extern const std::array<const char*, kAgeBands> kAgeBandLabels;

// The category label of people whose nationality was not given, and of nationalities folded
// together because they are rare in the year.
constexpr char kUnknownLabel[] = "unknown";
constexpr char kOtherLabel[] = "other";

struct PushbackFacts {
  std::string from;               // ISO 3166-1 alpha-2
  std::string to;
  // People counted for this testimony: the group size, or 0 when the same person already
  // testified in the same month (the earlier testimony counts the group).
  uint32_t people = 0;
  std::map<std::string, uint32_t> nationalities;  // code or kUnknownLabel -> people; sums to people
  std::array<uint32_t, kAgeBands> ages{};         // sums to people
  std::set<int> violence;         // v1::ViolenceType values mentioned
  std::set<int> perpetrators;     // v1::PerpetratorType values mentioned
  v1::TriState asylum_intention = v1::UNKNOWN;    // UNSPECIFIED is read as UNKNOWN
  v1::TriState minors_involved = v1::UNKNOWN;
  bool chain = false;             // more than one border crossed (chain_countries has >= 3)
};

// Length-of-stay bands of docs/methodology.md, in publication order. A stay given as a range
// counts in a band only when the whole range lies in it, otherwise in kStayAcrossBands;
// kStayUnknown also takes the testimonies that do not give a length.
enum StayBandIndex { kStay0to6, kStay7to29, kStay30to89, kStay90to179, kStay180Plus,
                     kStayAcrossBands, kStayUnknown };
constexpr int kStayBands = 7;
extern const std::array<const char*, kStayBands> kStayBandLabels;

struct FacilityFacts {
  std::string facility;                        // registry id
  std::string type;                            // the facility's type label (FacilityTypeLabel)
  int arrival = 0;                             // v1::Arrival; UNSPECIFIED is read as UNKNOWN
  int stay_band = kStayUnknown;                // StayBandIndex
  // v1::Condition -> the most severe v1::Severity reported for it (SEVERITY_UNKNOWN counts
  // least), so each testimony counts once per condition.
  std::map<int, int> conditions;
};

// Index of a tri-state in the tables' rows: yes, no, unknown.
int TriIndex(v1::TriState t);

// The counts of one month that the tables are made of, keyed by label rather than by the
// year's categories (which are known only once the year is read). Every table is a sum over
// testimonies, so facts are added one at a time and dropped: the memory does not grow with
// the number of records.
struct MonthFacts {
  // Pushback testimonies.
  int64_t pushbacks = 0;
  std::map<std::pair<std::string, std::string>, std::pair<int64_t, int64_t>>
      routes;                                       // (from, to) -> (people, testimonies)
  std::map<std::string, int64_t> nationality_people;  // code, kUnknownLabel or kOtherLabel
  std::array<int64_t, kAgeBands> age_people{};
  std::map<int, int64_t> violence;                  // type -> testimonies mentioning it
  std::map<int, int64_t> perpetrators;
  std::array<int64_t, 3> asylum_intention{};        // by TriIndex
  std::array<int64_t, 3> minors_involved{};
  int64_t chain = 0;
  // Facility testimonies.
  std::map<std::string, int64_t> facility_testimonies;  // facility id -> testimonies
  std::map<std::string, int64_t> type_testimonies;      // type label -> testimonies
  std::map<std::pair<std::string, int>, int64_t> type_condition;  // (type, condition)
  std::map<std::pair<int, int>, int64_t> condition_severity;      // (condition, worst)
  std::map<int, int64_t> arrival;                                 // v1::Arrival
  std::array<int64_t, kStayBands> stay_bands{};                   // testimonies by band
  // Pushback records of incident_kind SITE_REMOVAL: not pushbacks across a border, so in none
  // of the tables above; by the type label of the facility people were taken to.
  std::map<std::string, int64_t> site_removals;

  void Add(const PushbackFacts& p);
  void Add(const FacilityFacts& f);
};

struct SelectionCounts {
  uint64_t selected = 0;
  uint64_t duplicate_people = 0;   // testimonies whose people were counted by another one
  uint64_t without_pseudonym = 0;
};

// Collects the facts of months 1..`months` of one year from records given in the order of
// Store::ScanForReport (incident month, then id). Holds one MonthFacts per month and, for
// counting each person once a month, the person numbers of the current month only.
class YearCollector {
 public:
  // `facility_types`: registry id -> FacilityTypeLabel; an id not in it is typed "other".
  YearCollector(int months, std::map<std::string, std::string> facility_types);

  // Adds one record. kInvalidArgument (naming the record) for a testimony of no known kind
  // or an incident month outside the year's months.
  Status Add(const ScannedRecord& record);

  const SelectionCounts& counts() const { return counts_; }
  // Records selected whose incident month is month `m` (1-based).
  uint64_t selected_in(int m) const { return selected_in_[static_cast<size_t>(m - 1)]; }
  std::vector<MonthFacts> Take() { return std::move(months_); }

 private:
  std::vector<MonthFacts> months_;
  std::vector<uint64_t> selected_in_;
  std::map<std::string, std::string> facility_types_;
  SelectionCounts counts_;
  int current_ = -1;                 // index of the month persons_seen_ belongs to
  std::set<uint64_t> persons_seen_;
};

// Adds the facts of one testimony (or its report view) to `out`: a pushback's, with its people
// when `count_people` (a SITE_REMOVAL counts only in MonthFacts::site_removals), or a facility
// testimony's, typed by `facility_types` (registry id ->
// FacilityTypeLabel; an id not in it is typed "other"). kInvalidArgument naming record `id`
// for a testimony of no known kind.
Status AddTestimonyFacts(const v1::Testimony& t, bool count_people,
                         const std::map<std::string, std::string>& facility_types,
                         const std::string& id, MonthFacts* out);

// Counts each person once per incident month. Records must be offered in incident-month order
// (as Store::ScanForReport gives them): person numbers are only valid within one month.
class PersonOnce {
 public:
  // True the first time `person` is offered in `month`, and always for person 0 (a record
  // with no identity to deduplicate on).
  bool First(const std::string& month, uint64_t person);

 private:
  std::string month_;
  std::set<uint64_t> seen_;
};

// The part of a testimony the tables count: what the store keeps in `report_facts` for each
// record's latest version (docs/formats.md, "report_facts"). Keeps the kind, countries,
// group size, nationality counts, age bands (an age in years becomes its band), violence,
// perpetrator types, the two tri-states, the chain countries, the incident kind and the
// facility removed to, the facility id, the conditions, the arrival and the length of stay
// (as its band: `days` is the band's first day, or a range across bands, or unknown); drops
// everything else (identity, narrative, dates, places, free text).
// PushbackFactsOf and YearCollector give the same facts for a testimony and its view.
v1::Testimony ReportView(const v1::Testimony& t);

// Pushback facts of one testimony (exposed for tests). `count_people` false gives people = 0.
PushbackFacts PushbackFactsOf(const v1::Pushback& p, bool count_people);

// The StayBandIndex of a stay length (kStayUnknown when not given).
int StayBandOf(const v1::FacilityConditions& f);

// "detention", "reception", ... for a v1::FacilityType; "other" for other and unspecified.
std::string FacilityTypeLabel(int type);

// Registry id -> FacilityTypeLabel of its type, for YearCollector.
std::map<std::string, std::string> FacilityTypeLabels(const std::vector<v1::Facility>& registry);

// Adds the people of every nationality not in `keep` to kOtherLabel (kUnknownLabel stays).
void FoldNationalities(const std::set<std::string>& keep, MonthFacts* facts);

}  // namespace tvault::pipeline

#endif  // TVAULT_PIPELINE_FACTS_H_
