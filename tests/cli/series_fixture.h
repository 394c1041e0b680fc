// A fixture for tests of a year's series of releases through the real binary: testimonies built
// as JSON by the test itself (so that it knows every true count), a model of the tables they give
// (the test's own aggregation, independent of core/src/pipeline), monthly releases and the
// annual revision, `verify --previous`, and the independent attacker tests/cli/attacker.py
// (Python 3 with scipy: LP and integer ranges of the cells asked).
#ifndef TVAULT_TESTS_CLI_SERIES_FIXTURE_H_
#define TVAULT_TESTS_CLI_SERIES_FIXTURE_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "report_fixture.h"

namespace tvault::testing {

// One pushback testimony as the test writes it. Enum values are the proto names.
struct Rec {
  std::string name;  // unique per record: every record counts its own people
  std::string date;  // YYYY-MM-DD
  std::string from, to;
  std::vector<std::pair<std::string, int>> nationalities;  // counts sum to the group size
  std::vector<std::string> ages;                           // one AgeBand per person
  std::vector<std::string> violence;
  std::vector<std::string> perpetrators;
  std::string asylum = "YES";
  std::string minors = "NO";
  std::vector<std::string> chain;  // chain_countries; three or more make a chain pushback
  int people() const {
    int n = 0;
    for (const auto& [c, k] : nationalities) n += k;
    return n;
  }
};

inline std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

inline std::string QuoteList(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + Quote(v[i]);
  return out + "]";
}

// The input form of docs/schema.md, one line.
inline std::string RecJson(const Rec& r) {
  std::string p = "{\"incident_date\":" + Quote(r.date) + ",\"date_precision\":\"DAY\"" +
                  ",\"pushed_from\":" + Quote(r.from) + ",\"pushed_to\":" + Quote(r.to) +
                  ",\"group_size\":" + std::to_string(r.people()) + ",\"nationalities\":[";
  for (size_t i = 0; i < r.nationalities.size(); ++i) {
    p += std::string(i ? "," : "") + "{\"country\":" + Quote(r.nationalities[i].first) +
         ",\"count\":" + std::to_string(r.nationalities[i].second) + "}";
  }
  p += "],\"ages\":[";
  for (size_t i = 0; i < r.ages.size(); ++i) {
    p += std::string(i ? "," : "") + "{\"band\":" + Quote(r.ages[i]) + "}";
  }
  p += "],\"violence\":" + QuoteList(r.violence) + ",\"perpetrators\":[";
  for (size_t i = 0; i < r.perpetrators.size(); ++i) {
    p += std::string(i ? "," : "") + "{\"type\":" + Quote(r.perpetrators[i]) + "}";
  }
  p += "],\"asylum_intention_expressed\":" + Quote(r.asylum) +
       ",\"minors_involved\":" + Quote(r.minors);
  if (!r.chain.empty()) p += ",\"chain_countries\":" + QuoteList(r.chain);
  p += "}";
  return "{\"kind\":\"PUSHBACK\",\"monitor_id\":\"kestrel-07\",\"identity\":{\"name\":" +
         Quote(r.name) + "},\"pushback\":" + p + "}";
}

// ---- The test's own model of the published tables (docs/methodology.md, section 2) ----

inline const std::vector<std::string>& ViolenceTypes() {
  static const std::vector<std::string> v = {
      "VIOLENCE_UNKNOWN", "VIOLENCE_OTHER", "BEATING", "KICKING", "BATONS", "DOG_ATTACK",
      "ELECTRIC_SHOCK", "GUNSHOTS", "PEPPER_SPRAY", "FORCED_UNDRESSING", "EXPOSURE_COLD_WATER",
      "THEFT", "PROPERTY_DESTRUCTION", "INSULTS", "THREATS", "SEXUAL_VIOLENCE",
      "DENIAL_FOOD_WATER", "NO_VIOLENCE_REPORTED"};
  return v;
}

inline const std::vector<std::string>& PerpetratorTypes() {
  static const std::vector<std::string> v = {
      "PERPETRATOR_UNKNOWN", "PERPETRATOR_OTHER", "BORDER_POLICE", "REGULAR_POLICE",
      "SPECIAL_POLICE", "MILITARY", "COAST_GUARD", "FRONTEX_OR_EU_AGENCY", "PRIVATE_SECURITY",
      "CIVILIANS_OR_VIGILANTES", "FACILITY_STAFF"};
  return v;
}

inline std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The published label of an enum value.
inline std::string Label(const std::string& e) {
  if (e == "VIOLENCE_UNKNOWN" || e == "PERPETRATOR_UNKNOWN" || e == "AGE_BAND_UNKNOWN") {
    return "unknown";
  }
  if (e == "VIOLENCE_OTHER" || e == "PERPETRATOR_OTHER") return "other";
  static const std::map<std::string, std::string> ages = {{"AGE_0_13", "0-13"},
                                                          {"AGE_14_17", "14-17"},
                                                          {"AGE_18_25", "18-25"},
                                                          {"AGE_26_35", "26-35"},
                                                          {"AGE_36_PLUS", "36+"}};
  auto it = ages.find(e);
  if (it != ages.end()) return it->second;
  return Lower(e);
}

// A cell of one period's tables: "table|label,label".
inline std::string CellKey(const std::string& table, const std::vector<std::string>& labels) {
  std::string k = table + "|";
  for (size_t i = 0; i < labels.size(); ++i) k += (i ? "," : "") + labels[i];
  return k;
}

using Cells = std::map<std::string, long>;

// Every non-zero cell (margins included) of the pushback tables of one period holding `recs`.
inline Cells Aggregate(const std::vector<Rec>& recs) {
  Cells c;
  auto add2 = [&](const std::string& t, const std::string& a, const std::string& b, long v) {
    c[CellKey(t, {a, b})] += v;
    c[CellKey(t, {a, "Total"})] += v;
    c[CellKey(t, {"Total", b})] += v;
    c[CellKey(t, {"Total", "Total"})] += v;
  };
  auto add1 = [&](const std::string& t, const std::string& a, long v) {
    c[CellKey(t, {a})] += v;
    c[CellKey(t, {"Total"})] += v;
  };
  for (const Rec& r : recs) {
    const int n = r.people();
    add2("people_by_route", r.from, r.to, n);
    add2("testimonies_by_route", r.from, r.to, 1);
    for (const auto& [country, k] : r.nationalities) add1("people_by_nationality", country, k);
    for (const std::string& a : r.ages) add1("people_by_age", Label(a), 1);
    if (static_cast<int>(r.ages.size()) < n) {
      add1("people_by_age", "unknown", n - static_cast<long>(r.ages.size()));
    }
    for (const auto& [table, types, given] :
         {std::make_tuple("testimonies_by_violence", &ViolenceTypes(), &r.violence),
          std::make_tuple("testimonies_by_perpetrator", &PerpetratorTypes(), &r.perpetrators)}) {
      for (const std::string& t : *types) {
        const bool reported = std::count(given->begin(), given->end(), t) > 0;
        add2(table, Label(t), reported ? "reported" : "not reported", 1);
      }
    }
    add1("testimonies_by_asylum_intention", Label(r.asylum), 1);
    add1("testimonies_by_minors_involved", Label(r.minors), 1);
    add1("testimonies_by_chain", r.chain.size() >= 3 ? "chain" : "single border", 1);
  }
  for (auto it = c.begin(); it != c.end();) it = it->second == 0 ? c.erase(it) : std::next(it);
  return c;
}

inline long At(const Cells& c, const std::string& key) {
  auto it = c.find(key);
  return it == c.end() ? 0 : it->second;
}

// ---- Deterministic data ----

// splitmix64: the same numbers on every platform (std distributions are not portable).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  bool Chance(int percent) { return Below(100) < percent; }
  // An entry of `weights` ("value", weight) chosen by weight.
  std::string Pick(const std::vector<std::pair<std::string, int>>& weights) {
    int total = 0;
    for (const auto& [v, w] : weights) total += w;
    int x = Below(total);
    for (const auto& [v, w] : weights) {
      if ((x -= w) < 0) return v;
    }
    return weights.back().first;
  }

 private:
  uint64_t s_;
};

struct GenOptions {
  // From this month on (1-12), some records name MILITARY as perpetrator and ER nationality:
  // categories that first appear mid-year. 0: never.
  int new_categories_from = 0;
};

// `count` testimonies of `month` (YYYY-MM), deterministic in `seed`.
inline std::vector<Rec> MonthRecs(const std::string& month, int count, uint64_t seed,
                                  const GenOptions& opt = {}) {
  Rng rng(seed * 1000003 + static_cast<uint64_t>(std::stoi(month.substr(5))));
  const int m = std::stoi(month.substr(5));
  const bool extra = opt.new_categories_from > 0 && m >= opt.new_categories_from;
  std::vector<Rec> out;
  for (int i = 0; i < count; ++i) {
    Rec r;
    r.name = "Person " + month + "-" + std::to_string(seed) + "-" + std::to_string(i);
    char day[4];
    std::snprintf(day, sizeof day, "%02d", 1 + rng.Below(28));
    r.date = month + "-" + day;
    const std::string route =
        rng.Pick({{"HR>BA", 45}, {"HR>RS", 25}, {"HU>RS", 22}, {"SI>HR", 8}});
    r.from = route.substr(0, 2);
    r.to = route.substr(3, 2);
    const int n = 1 + rng.Below(rng.Chance(20) ? 8 : 4);
    std::vector<std::pair<std::string, int>> nat_w = {
        {"AF", 40}, {"SY", 28}, {"PK", 20}, {"MA", 12}};
    if (extra) nat_w.push_back({"ER", 12});
    const std::string first = rng.Pick(nat_w);
    std::string second = rng.Pick(nat_w);
    if (n >= 2 && second != first && rng.Chance(30)) {
      const int a = 1 + rng.Below(n - 1);
      r.nationalities = {{first, a}, {second, n - a}};
    } else {
      r.nationalities = {{first, n}};
    }
    bool minor = false;
    for (int p = 0; p < n; ++p) {
      const std::string band = rng.Pick({{"AGE_18_25", 45},
                                          {"AGE_26_35", 30},
                                          {"AGE_14_17", 10},
                                          {"AGE_0_13", 8},
                                          {"AGE_36_PLUS", 7}});
      minor = minor || band == "AGE_0_13" || band == "AGE_14_17";
      r.ages.push_back(band);
    }
    for (const auto& [v, pct] : std::vector<std::pair<std::string, int>>{{"BEATING", 60},
                                                                         {"THEFT", 50},
                                                                         {"INSULTS", 40},
                                                                         {"BATONS", 15},
                                                                         {"PEPPER_SPRAY", 10},
                                                                         {"DOG_ATTACK", 5}}) {
      if (rng.Chance(pct)) r.violence.push_back(v);
    }
    r.perpetrators.push_back(rng.Chance(88) ? "BORDER_POLICE" : "REGULAR_POLICE");
    if (rng.Chance(8)) r.perpetrators.push_back("SPECIAL_POLICE");
    if (extra && rng.Chance(15)) r.perpetrators.push_back("MILITARY");
    r.asylum = rng.Pick({{"YES", 60}, {"NO", 30}, {"UNKNOWN", 10}});
    r.minors = minor ? "YES" : rng.Pick({{"NO", 70}, {"UNKNOWN", 30}});
    if (rng.Chance(10)) r.chain = {r.from, r.to, r.to == "BA" ? "ME" : "MK"};
    out.push_back(std::move(r));
  }
  return out;
}

// ---- Running things ----

inline constexpr char kPython[] = "/usr/bin/python3";
inline std::string AttackerScript() { return std::string(TVAULT_SOURCE_DIR) + "/tests/cli/attacker.py"; }

// A cell of a published period: "month 2025-05", "year_to_date 2025-05", "revision 2025".
struct CellRef {
  std::string period, table;
  std::vector<std::string> labels;
  std::string Name() const { return period + " " + CellKey(table, labels); }
};

// The protection rule of the default settings (docs/methodology.md, section 4).
struct Rule {
  int k_people = 5, k_testimonies = 3;
  double upper_percent = 30;
  int upper_min = 2, width_min = 2;
  int KOf(const std::string& table) const {
    return table.rfind("people_", 0) == 0 ? k_people : k_testimonies;
  }
};

// Every cell of a report.json: "period|table|labels" -> count, or -1 when suppressed. The
// period is the report's ("month 2025-05", ...), as attacker.py names it.
inline std::map<std::string, long> ReportCells(const std::string& dir) {
  google::protobuf::Struct s = ParseJsonObject(ReadFileOrDie(dir + "/report.json"));
  std::map<std::string, long> out;
  const std::string month = Field(s, "month"), kind = Field(s, "kind");
  for (const auto& tv : s.fields().at("tables").list_value().values()) {
    const auto& t = tv.struct_value();
    const std::string period = Field(t, "period");
    std::string pid = period == "revision" ? "revision " + month.substr(0, 4)
                                           : period + " " + month;
    for (const auto& cv : t.fields().at("cells").list_value().values()) {
      const auto& c = cv.struct_value();
      std::vector<std::string> labels;
      for (const auto& l : c.fields().at("labels").list_value().values()) {
        labels.push_back(l.string_value());
      }
      const bool suppressed = Field(c, "suppressed") == "true";
      out[pid + "|" + CellKey(Field(t, "name"), labels)] =
          suppressed ? -1 : static_cast<long>(c.fields().at("count").number_value());
    }
  }
  return out;
}

class SeriesFixture : public ReportFixture {
 protected:
  void SetUp() override {
    ReportFixture::SetUp();
    RunResult r = RunTvault({"keys", "new-signer", "--out", Path("analyst"), "--kdf",
                             "interactive", "--key-passphrase-fd", "3"},
                            "", kPassLine);
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  }

  void AddRecs(const std::vector<Rec>& recs, const std::string& name) {
    std::string lines;
    for (const Rec& r : recs) lines += RecJson(r) + "\n";
    RunResult r = TvOk({"add", "--from", WriteWork(name + ".jsonl", lines)});
    EXPECT_TRUE(Contains(r.out, "added " + std::to_string(recs.size()) + " testimon")) << r.out;
  }

  // Adds one record and returns its id.
  std::string AddRecWithId(const Rec& rec, const std::string& name) {
    std::set<std::string> before = Ids({"--deleted"});
    TvOk({"add", "--from", WriteWork(name + ".json", RecJson(rec))});
    std::string id;
    for (const std::string& x : Ids({"--deleted"})) {
      if (!before.count(x)) id = x;
    }
    EXPECT_EQ(id.size(), 32u) << "no new record after add";
    return id;
  }

  std::string ReleaseDir(const std::string& month) const { return Path("release-" + month); }

  // `report --month`, asserted to succeed; returns the folder.
  std::string Release(const std::string& month) {
    RunResult r = Report(ReleaseDir(month), month);
    EXPECT_EQ(r.exit_code, kOk) << "report --month " << month << ": " << Describe(r);
    return ReleaseDir(month);
  }

  RunResult Revision(const std::string& year, const std::string& out) const {
    return RunTvault({"report", "--store", store(), "--org-secret", World().org_key, "--sign",
                      Path("analyst.key"), "--revision", year, "--out", out, "--passphrase-fd",
                      "3", "--org-passphrase-fd", "3", "--sign-passphrase-fd", "3"},
                     "", kThreePasses);
  }

  RunResult Verify(const std::string& dir, const std::vector<std::string>& previous) const {
    std::vector<std::string> args = {"verify", dir, "--signer", Path("analyst.pub")};
    for (const std::string& p : previous) args.insert(args.end(), {"--previous", p});
    return RunTvault(args);
  }

  // Runs attacker.py on `folders` for `cells`; the parsed result. A missing scipy is a failure
  // (scripts/bootstrap.sh installs python3-scipy), never a skip.
  google::protobuf::Struct Attack(const std::vector<std::string>& folders,
                                  const std::vector<CellRef>& cells) {
    std::string req = "{\"time_limit\": 120, \"cells\": [";
    for (size_t i = 0; i < cells.size(); ++i) {
      req += std::string(i ? ",\n" : "") + "{\"period\":" + Quote(cells[i].period) +
             ",\"table\":" + Quote(cells[i].table) + ",\"labels\":" + QuoteList(cells[i].labels) +
             "}";
    }
    req += "]}";
    std::vector<std::string> argv = {kPython, AttackerScript(), "--request",
                                     WriteWork("attack-request.json", req)};
    argv.insert(argv.end(), folders.begin(), folders.end());
    RunResult r = RunProgram(argv);
    EXPECT_EQ(r.exit_code, 0)
        << "tests/cli/attacker.py did not run (it needs /usr/bin/python3 with python3-scipy, "
           "which scripts/bootstrap.sh installs): "
        << Describe(r);
    google::protobuf::Struct out;
    if (r.exit_code == 0) out = ParseJsonObject(r.out);
    // The model must agree with every published number, and no published count is in 1..k-1.
    for (const char* list : {"inconsistent", "below_k", "warnings"}) {
      auto it = out.fields().find(list);
      if (it == out.fields().end()) continue;
      for (const auto& v : it->second.list_value().values()) {
        ADD_FAILURE() << "attacker.py " << list << ": " << v.string_value();
      }
    }
    return out;
  }

  // Judges the attacker's ranges of `cells` against their true values: a published cell must
  // show its true count (0 or >= k); a suppressed one must keep its protection interval for the
  // LP and the integer attacker when it is sensitive (0 < v < k), and the ranges must contain
  // the true value. Returns how many sensitive suppressed cells were judged.
  int ExpectProtected(const google::protobuf::Struct& attack,
                      const std::vector<std::pair<CellRef, long>>& truth, const Rule& rule = {}) {
    int suppressed = 0;
    auto it = attack.fields().find("cells");
    if (it == attack.fields().end()) {
      ADD_FAILURE() << "no attacker result";
      return 0;
    }
    const auto& cells = it->second.list_value().values();
    EXPECT_EQ(static_cast<size_t>(cells.size()), truth.size());
    for (size_t i = 0; i < truth.size() && i < static_cast<size_t>(cells.size()); ++i) {
      const CellRef& ref = truth[i].first;
      const long v = truth[i].second;
      const auto& c = cells[static_cast<int>(i)].struct_value();
      if (c.fields().count("error")) {
        ADD_FAILURE() << ref.Name() << ": " << Field(c, "error");
        continue;
      }
      if (c.fields().count("errors")) {
        ADD_FAILURE() << ref.Name() << ": solver trouble " << ToJson(c);
        continue;
      }
      if (Field(c, "published") == "true") {
        const long count = static_cast<long>(c.fields().at("count").number_value());
        EXPECT_EQ(count, v) << ref.Name() << ": published " << count << ", true " << v;
        const int k = rule.KOf(ref.table);
        EXPECT_TRUE(count == 0 || count >= k) << ref.Name() << " = " << count << " < k " << k;
        continue;
      }
      EXPECT_GE(v, 1) << ref.Name() << ": suppressed, yet its true value is " << v;
      // The protection interval is owed to sensitive cells (0 < v < k, docs/methodology.md,
      // section 4); a complementary suppression (v >= k) is only checked for the model's sake.
      const bool sensitive = v < rule.KOf(ref.table);
      if (sensitive) ++suppressed;
      const double need_hi = static_cast<double>(v) +
                             std::max(std::ceil(rule.upper_percent / 100.0 * v - 1e-9),
                                      static_cast<double>(rule.upper_min));
      for (const char* kind : {"lp", "ilp"}) {
        const auto& range = c.fields().at(kind).list_value().values();
        const double lo = range[0].has_number_value() ? range[0].number_value() : 0;
        const double hi = range[1].has_number_value() ? range[1].number_value() : 1e18;
        EXPECT_LE(lo, v + 1e-6) << ref.Name() << " " << kind << " [" << lo << ", " << hi
                                << "] excludes the true value " << v << " (attacker model wrong)";
        EXPECT_GE(hi, v - 1e-6) << ref.Name() << " " << kind << " [" << lo << ", " << hi
                                << "] excludes the true value " << v << " (attacker model wrong)";
        if (!sensitive) continue;
        EXPECT_GE(hi, need_hi - 1e-6)
            << ref.Name() << " (true " << v << "): " << kind << " upper bound " << hi
            << " is below the protection interval's " << need_hi;
        EXPECT_GE(hi - lo, rule.width_min - 1e-6)
            << ref.Name() << " (true " << v << "): " << kind << " range [" << lo << ", " << hi
            << "] is narrower than " << rule.width_min;
      }
    }
    return suppressed;
  }

  // Checks that every cell of `period` ("month 2025-05", ...) in the report at `dir` that
  // holds pushback data shows the count of `truth` (the test's own aggregation), or is
  // suppressed with a true value >= 1.
  void ExpectPeriodMatches(const std::string& dir, const std::string& period,
                           const Cells& truth) {
    int compared = 0;
    for (const auto& [key, count] : ReportCells(dir)) {
      if (key.rfind(period + "|", 0) != 0) continue;
      const std::string cell = key.substr(period.size() + 1);
      if (cell.rfind("facility", 0) == 0 || cell.rfind("condition", 0) == 0) {
        EXPECT_EQ(count, 0) << dir << " " << key << ": no facility testimonies were added";
        continue;
      }
      const long v = At(truth, cell);
      ++compared;
      if (count < 0) {
        EXPECT_GE(v, 1) << dir << " " << key << " is suppressed but its true count is " << v;
      } else {
        EXPECT_EQ(count, v) << dir << " " << key << ": published " << count << ", true " << v;
      }
    }
    EXPECT_GT(compared, 100) << dir << " has no period " << period;
  }
};

// Every record of `a` and then of `b`.
inline std::vector<Rec> Concat(std::vector<Rec> a, const std::vector<Rec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace tvault::testing

#endif  // TVAULT_TESTS_CLI_SERIES_FIXTURE_H_
