#include "pipeline/tables.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace tvault::pipeline {
namespace {

const char* kTriLabels[] = {"yes", "no", "unknown"};

// "VIOLENCE_UNKNOWN" -> "unknown", "BEATING" -> "beating".
std::string Label(std::string name, const std::string& prefix) {
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}
std::string ViolenceLabel(int v) {
  return Label(v1::ViolenceType_Name(static_cast<v1::ViolenceType>(v)), "VIOLENCE_");
}
std::string PerpetratorLabel(int v) {
  return Label(v1::PerpetratorType_Name(static_cast<v1::PerpetratorType>(v)), "PERPETRATOR_");
}
std::string ConditionLabel(int v) {
  return Label(v1::Condition_Name(static_cast<v1::Condition>(v)), "CONDITION_");
}
std::string SeverityLabel(int v) {
  return Label(v1::Severity_Name(static_cast<v1::Severity>(v)), "SEVERITY_");
}
std::string ArrivalLabel(int v) {
  return Label(v1::Arrival_Name(static_cast<v1::Arrival>(v)), "ARRIVAL_");
}

size_t IndexOf(const std::vector<std::string>& labels, const std::string& label) {
  return static_cast<size_t>(std::find(labels.begin(), labels.end(), label) - labels.begin());
}

// Sorted labels of enum values, in enum order (the order readers know from the forms).
template <typename F>
std::vector<std::string> EnumLabels(const std::set<int>& values, F label) {
  std::vector<std::string> out;
  for (int v : values) out.push_back(label(v));
  return out;
}

// The labels of every value of enum `e` but 0 (UNSPECIFIED), in enum order.
template <typename F>
std::vector<std::string> AllLabels(const google::protobuf::EnumDescriptor* e, F label) {
  std::vector<std::string> out;
  for (int i = 0; i < e->value_count(); ++i) {
    if (e->value(i)->number() != 0) out.push_back(label(e->value(i)->number()));
  }
  return out;
}

// Every arrival but UNSPECIFIED (counted as unknown), in enum order: a closed list.
std::vector<std::string> ArrivalLabels() {
  return AllLabels(v1::Arrival_descriptor(), ArrivalLabel);
}

}  // namespace

const std::vector<TableSpec>& TableCatalogue() {
  static const std::vector<TableSpec> kTables = {
      {"people_by_route", "People pushed back, by country pushed from and country pushed to",
       Unit::kPeople, {"pushed_from", "pushed_to"}},
      {"testimonies_by_route", "Pushback testimonies, by country pushed from and pushed to",
       Unit::kTestimonies, {"pushed_from", "pushed_to"}},
      {"people_by_nationality", "People pushed back, by nationality", Unit::kPeople,
       {"nationality"}},
      {"people_by_age", "People pushed back, by age band", Unit::kPeople, {"age_band"}},
      {"testimonies_by_violence",
       "Pushback testimonies reporting each type of violence (a testimony may report several)",
       Unit::kTestimonies, {"violence", "reported"}, true},
      {"testimonies_by_perpetrator",
       "Pushback testimonies naming each type of perpetrator (a testimony may name several)",
       Unit::kTestimonies, {"perpetrator", "reported"}, true},
      {"testimonies_by_asylum_intention",
       "Pushback testimonies: intention to seek asylum expressed", Unit::kTestimonies,
       {"asylum_intention"}},
      {"testimonies_by_minors_involved", "Pushback testimonies: minors in the group",
       Unit::kTestimonies, {"minors_involved"}},
      {"testimonies_by_chain", "Pushback testimonies: chain pushbacks (more than one border)",
       Unit::kTestimonies, {"chain"}},
      {"facility_testimonies", "Facility testimonies, by facility", Unit::kTestimonies,
       {"facility"}},
      {"facility_type_conditions",
       "Facility testimonies reporting each condition, by type of facility (a testimony may "
       "report several)",
       Unit::kTestimonies, {"facility_type", "condition"}},
      {"condition_severity",
       "Facility testimonies reporting each condition, by the most severe level reported",
       Unit::kTestimonies, {"condition", "severity"}},
      {"facility_testimonies_by_arrival",
       "Facility testimonies, by how the person came to be held there", Unit::kTestimonies,
       {"arrival"}, false, true},
      {"facility_stay_length", "Facility testimonies, by length of stay in days",
       Unit::kTestimonies, {"stay_days"}, false, true},
      {"site_removals_by_facility_type",
       "Forcible removals from informal sites, by type of facility people were taken to",
       Unit::kTestimonies, {"facility_type"}, false, true},
  };
  return kTables;
}

const TableSpec* FindTable(const std::string& name) {
  for (const TableSpec& t : TableCatalogue()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::vector<std::string> TablesOfSeries(const std::vector<std::string>& wanted,
                                        const std::set<std::string>* previous) {
  std::vector<std::string> out;
  for (const std::string& name : wanted) {
    const TableSpec* spec = FindTable(name);
    if (spec == nullptr) continue;
    if (previous != nullptr && spec->added_later && previous->count(name) == 0) continue;
    out.push_back(name);
  }
  return out;
}

Categories ChooseCategories(uint32_t nationality_min_people, std::vector<MonthFacts>* months) {
  std::set<std::string> from, to, facilities, facility_types;
  std::set<int> violence, perpetrators, conditions, severities;
  std::map<std::string, uint64_t> nationality_people;
  for (const MonthFacts& m : *months) {
    for (const auto& [route, n] : m.routes) {
      from.insert(route.first);
      to.insert(route.second);
    }
    for (const auto& [v, n] : m.violence) violence.insert(v);
    for (const auto& [v, n] : m.perpetrators) perpetrators.insert(v);
    for (const auto& [code, n] : m.nationality_people) nationality_people[code] += n;
    for (const auto& [f, n] : m.facility_testimonies) facilities.insert(f);
    for (const auto& [type, n] : m.type_testimonies) facility_types.insert(type);
    for (const auto& [type, n] : m.site_removals) facility_types.insert(type);
    for (const auto& [cs, n] : m.condition_severity) {
      conditions.insert(cs.first);
      severities.insert(cs.second);
    }
  }
  std::set<std::string> keep;
  bool any_other = false, any_unknown = false;
  for (const auto& [code, n] : nationality_people) {
    if (code == kUnknownLabel) {
      any_unknown = n > 0;
    } else if (n >= nationality_min_people) {
      keep.insert(code);
    } else if (n > 0) {
      any_other = true;
    }
  }
  for (MonthFacts& m : *months) FoldNationalities(keep, &m);

  Categories c;
  c.from.assign(from.begin(), from.end());
  c.to.assign(to.begin(), to.end());
  c.nationalities.assign(keep.begin(), keep.end());
  if (any_other) c.nationalities.push_back(kOtherLabel);
  if (any_unknown) c.nationalities.push_back(kUnknownLabel);
  c.violence = EnumLabels(violence, ViolenceLabel);
  c.perpetrators = EnumLabels(perpetrators, PerpetratorLabel);
  c.facilities.assign(facilities.begin(), facilities.end());
  c.facility_types.assign(facility_types.begin(), facility_types.end());
  c.conditions = EnumLabels(conditions, ConditionLabel);
  c.severities = EnumLabels(severities, SeverityLabel);
  return c;
}

Categories ClosedCategories() {
  Categories c;
  c.violence = AllLabels(v1::ViolenceType_descriptor(), ViolenceLabel);
  c.perpetrators = AllLabels(v1::PerpetratorType_descriptor(), PerpetratorLabel);
  c.conditions = AllLabels(v1::Condition_descriptor(), ConditionLabel);
  c.severities = AllLabels(v1::Severity_descriptor(), SeverityLabel);
  std::set<std::string> types;
  for (int i = 0; i < v1::FacilityType_descriptor()->value_count(); ++i) {
    types.insert(FacilityTypeLabel(v1::FacilityType_descriptor()->value(i)->number()));
  }
  c.facility_types.assign(types.begin(), types.end());
  return c;
}

Categories GrowCategories(const Categories& before, const std::set<std::string>& folded_before,
                          uint32_t nationality_min_people, MonthFacts* facts,
                          std::set<std::string>* folded) {
  std::set<std::string> from(before.from.begin(), before.from.end());
  std::set<std::string> to(before.to.begin(), before.to.end());
  std::set<std::string> facilities(before.facilities.begin(), before.facilities.end());
  for (const auto& [route, n] : facts->routes) {
    from.insert(route.first);
    to.insert(route.second);
  }
  for (const auto& [f, n] : facts->facility_testimonies) facilities.insert(f);
  *folded = folded_before;
  std::set<std::string> keep;
  bool other = false, unknown = false;
  for (const std::string& n : before.nationalities) {
    if (n == kOtherLabel) {
      other = true;
    } else if (n == kUnknownLabel) {
      unknown = true;
    } else {
      keep.insert(n);
    }
  }
  for (const auto& [code, n] : facts->nationality_people) {
    if (n == 0) continue;
    if (code == kUnknownLabel) {
      unknown = true;
    } else if (code == kOtherLabel || folded->count(code) > 0) {
      other = true;
    } else if (keep.count(code) == 0) {
      if (n >= static_cast<int64_t>(nationality_min_people)) {
        keep.insert(code);
      } else {
        folded->insert(code);
        other = true;
      }
    }
  }
  FoldNationalities(keep, facts);
  Categories c = ClosedCategories();
  c.from.assign(from.begin(), from.end());
  c.to.assign(to.begin(), to.end());
  c.facilities.assign(facilities.begin(), facilities.end());
  c.nationalities.assign(keep.begin(), keep.end());
  if (other) c.nationalities.push_back(kOtherLabel);
  if (unknown) c.nationalities.push_back(kUnknownLabel);
  return c;
}

std::vector<std::string> RowLabels(const TableSpec& spec, const Categories& cats) {
  const std::string& n = spec.name;
  if (n == "people_by_route" || n == "testimonies_by_route") return cats.from;
  if (n == "people_by_nationality") return cats.nationalities;
  if (n == "people_by_age") return {kAgeBandLabels.begin(), kAgeBandLabels.end()};
  if (n == "testimonies_by_violence") return cats.violence;
  if (n == "testimonies_by_perpetrator") return cats.perpetrators;
  if (n == "testimonies_by_asylum_intention" || n == "testimonies_by_minors_involved") {
    return {kTriLabels, kTriLabels + 3};
  }
  if (n == "testimonies_by_chain") return {"chain", "single border"};
  if (n == "facility_testimonies") return cats.facilities;
  if (n == "facility_type_conditions") return cats.facility_types;
  if (n == "condition_severity") return cats.conditions;
  if (n == "site_removals_by_facility_type") return cats.facility_types;
  if (n == "facility_testimonies_by_arrival") return ArrivalLabels();
  if (n == "facility_stay_length") return {kStayBandLabels.begin(), kStayBandLabels.end()};
  return {};
}

std::vector<std::string> ColumnLabels(const TableSpec& spec, const Categories& cats) {
  if (spec.shares) return {kReportedLabel, kNotReportedLabel};
  const std::string& n = spec.name;
  if (n == "people_by_route" || n == "testimonies_by_route") return cats.to;
  if (n == "facility_type_conditions") return cats.conditions;
  if (n == "condition_severity") return cats.severities;
  return {};
}

Counts CountTable(const TableSpec& spec, const Categories& cats, const MonthFacts& facts) {
  const std::vector<std::string> rows = RowLabels(spec, cats);
  const std::vector<std::string> cols = ColumnLabels(spec, cats);
  const bool two_d = spec.dimensions.size() == 2;
  if (rows.empty() || (two_d && cols.empty())) return {};
  Counts c(two_d ? rows.size() : 1, std::vector<int64_t>(two_d ? cols.size() : rows.size(), 0));
  // REQUIRES of every lookup: the label is a category (ChooseCategories saw every month).
  auto at = [&](const std::string& row, const std::string& col) -> int64_t& {
    return two_d ? c[IndexOf(rows, row)][IndexOf(cols, col)] : c[0][IndexOf(rows, row)];
  };
  const std::string& n = spec.name;
  if (n == "people_by_route" || n == "testimonies_by_route") {
    const bool people = n == "people_by_route";
    for (const auto& [route, v] : facts.routes) {
      at(route.first, route.second) += people ? v.first : v.second;
    }
  } else if (n == "people_by_nationality") {
    for (const auto& [code, k] : facts.nationality_people) at(code, "") += k;
  } else if (n == "people_by_age") {
    for (int b = 0; b < kAgeBands; ++b) c[0][static_cast<size_t>(b)] += facts.age_people[b];
  } else if (spec.shares) {
    const bool violence = n == "testimonies_by_violence";
    const std::map<int, int64_t>& mentioned = violence ? facts.violence : facts.perpetrators;
    for (size_t r = 0; r < rows.size(); ++r) c[r][1] = facts.pushbacks;
    for (const auto& [v, k] : mentioned) {
      const size_t r = IndexOf(rows, violence ? ViolenceLabel(v) : PerpetratorLabel(v));
      c[r][0] += k;
      c[r][1] -= k;
    }
  } else if (n == "testimonies_by_asylum_intention" || n == "testimonies_by_minors_involved") {
    const std::array<int64_t, 3>& tri = n == "testimonies_by_asylum_intention"
                                            ? facts.asylum_intention
                                            : facts.minors_involved;
    for (size_t i = 0; i < 3; ++i) c[0][i] += tri[i];
  } else if (n == "testimonies_by_chain") {
    c[0][0] += facts.chain;
    c[0][1] += facts.pushbacks - facts.chain;
  } else if (n == "facility_testimonies") {
    for (const auto& [f, k] : facts.facility_testimonies) at(f, "") += k;
  } else if (n == "facility_type_conditions") {
    for (const auto& [tc, k] : facts.type_condition) at(tc.first, ConditionLabel(tc.second)) += k;
  } else if (n == "condition_severity") {
    for (const auto& [cs, k] : facts.condition_severity) {
      at(ConditionLabel(cs.first), SeverityLabel(cs.second)) += k;
    }
  } else if (n == "facility_testimonies_by_arrival") {
    for (const auto& [a, k] : facts.arrival) at(ArrivalLabel(a), "") += k;
  } else if (n == "facility_stay_length") {
    for (int b = 0; b < kStayBands; ++b) c[0][static_cast<size_t>(b)] += facts.stay_bands[b];
  } else if (n == "site_removals_by_facility_type") {
    for (const auto& [type, k] : facts.site_removals) {
      if (IndexOf(rows, type) < rows.size()) at(type, "") += k;
    }
  }
  return c;
}

Result<PeriodTables> AddPeriod(TableSet& set, const std::string& period,
                               const std::vector<std::string>& names,
                               const std::map<std::string, Counts>& counts,
                               const Categories& cats, const ProtectionRule& people,
                               const ProtectionRule& testimonies) {
  PeriodTables added;
  for (const std::string& name : names) {
    const TableSpec* spec = FindTable(name);
    auto it = counts.find(name);
    if (spec == nullptr || it == counts.end() || it->second.empty()) continue;
    const ProtectionRule& rule = spec->unit == Unit::kPeople ? people : testimonies;
    const std::string full = period + "/" + name;
    Result<int> index =
        spec->dimensions.size() == 2
            ? set.AddTable2D(full, rule, RowLabels(*spec, cats), ColumnLabels(*spec, cats),
                             it->second)
            : set.AddTable1D(full, rule, RowLabels(*spec, cats), it->second[0]);
    if (!index.ok()) return index.status();
    added[name] = *index;
  }
  auto total_of = [&](const std::string& name) -> CellId {
    auto it = added.find(name);
    if (it == added.end()) return -1;
    const Table& t = set.tables()[static_cast<size_t>(it->second)];
    return t.grand_total;
  };
  const CellId people_total = total_of("people_by_route");
  const CellId testimony_total = total_of("testimonies_by_route");
  const CellId facility_total = total_of("facility_testimonies");
  for (const auto& [name, index] : added) {
    const TableSpec* spec = FindTable(name);
    const Table& t = set.tables()[static_cast<size_t>(index)];
    const std::string origin = "period " + period + ": total of " + name;
    if (spec->shares && testimony_total >= 0) {
      for (CellId row_total : t.row_totals) {
        TVAULT_RETURN_IF_ERROR(set.AddSumRelation(row_total, {testimony_total}, origin));
      }
    } else if (name == "facility_testimonies_by_arrival" || name == "facility_stay_length") {
      if (facility_total >= 0) {
        TVAULT_RETURN_IF_ERROR(set.AddSumRelation(t.grand_total, {facility_total}, origin));
      }
    } else if (spec->dimensions.size() == 1 && name != "facility_testimonies" &&
               name != "site_removals_by_facility_type") {
      const CellId base = spec->unit == Unit::kPeople ? people_total : testimony_total;
      if (base >= 0) TVAULT_RETURN_IF_ERROR(set.AddSumRelation(t.grand_total, {base}, origin));
    }
  }
  auto fc = added.find("facility_type_conditions");
  auto cs = added.find("condition_severity");
  if (fc != added.end() && cs != added.end()) {
    const Table& a = set.tables()[static_cast<size_t>(fc->second)];
    const Table& b = set.tables()[static_cast<size_t>(cs->second)];
    // facility_type_conditions' columns and condition_severity's rows are the same
    // conditions in the same order.
    for (size_t i = 0; i < a.column_totals.size() && i < b.row_totals.size(); ++i) {
      TVAULT_RETURN_IF_ERROR(set.AddSumRelation(b.row_totals[i], {a.column_totals[i]},
                                                "period " + period + ": condition " +
                                                    cats.conditions[i]));
    }
    TVAULT_RETURN_IF_ERROR(set.AddSumRelation(b.grand_total, {a.grand_total},
                                              "period " + period + ": conditions total"));
  }
  return added;
}

}  // namespace tvault::pipeline
