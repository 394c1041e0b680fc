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

struct FacilityFacts {
  std::string facility;                        // registry id
  std::string type;                            // the facility's type label (FacilityTypeLabel)
  // v1::Condition -> the most severe v1::Severity reported for it (SEVERITY_UNKNOWN counts
  // least), so each testimony counts once per condition.
  std::map<int, int> conditions;
};

struct MonthFacts {
  std::vector<PushbackFacts> pushbacks;
  std::vector<FacilityFacts> facilities;
};

struct SelectionCounts {
  uint64_t selected = 0;
  uint64_t duplicate_people = 0;   // testimonies whose people were counted by another one
  uint64_t without_pseudonym = 0;
};

// Collects the facts of `month` records. Records must be given in the order of
// Store::ScanForReport (incident month, then id), all of one month for a Collector.
class MonthCollector {
 public:
  // Adds one record. kInvalidArgument (naming the record) for a testimony of no known kind.
  Status Add(const ScannedRecord& record, SelectionCounts* counts);
  MonthFacts Take() { return std::move(facts_); }

 private:
  MonthFacts facts_;
  std::set<uint64_t> persons_seen_;
};

// Pushback facts of one testimony (exposed for tests). `count_people` false gives people = 0.
PushbackFacts PushbackFactsOf(const v1::Pushback& p, bool count_people);

// "detention", "reception", ... for a v1::FacilityType; "other" for other and unspecified.
std::string FacilityTypeLabel(int type);

// Replaces every nationality not in `keep` by kOtherLabel (kUnknownLabel stays).
void FoldNationalities(const std::set<std::string>& keep, MonthFacts* facts);

}  // namespace tvault::pipeline

#endif  // TVAULT_PIPELINE_FACTS_H_
