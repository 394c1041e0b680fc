// Turns demo testimonies (JSON lines, as `tvault demo-data` prints them, on standard input)
// into the plaintext CSV files that the benchmarks' plain-SQLite baselines load with the
// Debian `sqlite3` command (scripts/bench.sh, docs/performance.md):
//
//   versions.csv       one row per record as the store keeps it: id, version, created_at, kind,
//                      incident_month, country, pushed_from, pushed_to, facility_id, people,
//                      body (base64 of the serialized testimony, identity removed): the rows
//                      a bundle import writes, for the `.import` baseline;
//   pushbacks.csv      id, month, pushed_from, pushed_to, people, asylum, minors, chain
//   violence.csv       id, month, violence type (one row per type a testimony reports)
//   perpetrators.csv   id, month, perpetrator type
//   nationalities.csv  id, month, nationality, people
//   ages.csv           id, month, age band, people
//   conditions.csv     id, month, facility, facility type, condition, severity
//
// The fact files are the generalised rows the report's tables count (pipeline/facts.h), so
// that `GROUP BY` queries over them do the report's aggregation on plaintext.
//
//   tvault_bench_flatten OUT_DIR < testimonies.jsonl
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include <sodium.h>

#include "pipeline/facts.h"
#include "store/store_impl.h"
#include "tvault/demo.h"
#include "tvault/schema.h"

namespace {

using tvault::v1::Testimony;

std::string Base64(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR < testimonies.jsonl\n", argv[0]);
    return 2;
  }
  if (sodium_init() < 0) return 1;
  const std::string dir = argv[1];
  std::map<std::string, std::ofstream> out;
  for (const char* name : {"versions", "pushbacks", "violence", "perpetrators", "nationalities",
                           "ages", "conditions"}) {
    out[name].open(dir + "/" + name + ".csv");
    if (!out[name]) {
      std::fprintf(stderr, "cannot write %s/%s.csv\n", dir.c_str(), name);
      return 1;
    }
  }
  std::map<std::string, std::string> facility_country, facility_type;
  for (const tvault::v1::Facility& f : tvault::DemoFacilities()) {
    facility_country[f.id()] = f.country();
    facility_type[f.id()] = tvault::pipeline::FacilityTypeLabel(f.type());
  }
  auto country_of = [&](const std::string& id) {
    auto it = facility_country.find(id);
    return it == facility_country.end() ? std::string() : it->second;
  };

  std::string line;
  uint64_t n = 0;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    auto parsed = tvault::ParseTestimoniesJson(line);
    if (!parsed.ok() || parsed->size() != 1) {
      std::fprintf(stderr, "line %llu: %s\n", static_cast<unsigned long long>(n + 1),
                   parsed.ok() ? "not one testimony" : parsed.status().message().c_str());
      return 1;
    }
    Testimony& t = (*parsed)[0].testimony;
    ++n;
    char id[33];
    std::snprintf(id, sizeof id, "%032llx", static_cast<unsigned long long>(n));
    t.clear_identity();
    const tvault::RecordInfo info = tvault::internal::Summarise(t, country_of);
    const std::string& m = info.incident_month;
    std::string body;
    t.SerializeToString(&body);
    out["versions"] << id << ",1," << t.recorded_at().seconds() << ',' << t.kind() << ',' << m
                    << ',' << info.country << ',' << info.pushed_from << ',' << info.pushed_to
                    << ',' << info.facility_id << ',' << info.people << ',' << Base64(body)
                    << '\n';
    const std::string key = std::string(id) + "," + m + ",";
    if (t.has_pushback()) {
      const auto f = tvault::pipeline::PushbackFactsOf(t.pushback(), true);
      out["pushbacks"] << key << f.from << ',' << f.to << ',' << f.people << ','
                       << f.asylum_intention << ',' << f.minors_involved << ','
                       << (f.chain ? 1 : 0) << '\n';
      for (int v : f.violence) out["violence"] << key << v << '\n';
      for (int v : f.perpetrators) out["perpetrators"] << key << v << '\n';
      for (const auto& [code, people] : f.nationalities) {
        out["nationalities"] << key << code << ',' << people << '\n';
      }
      for (size_t b = 0; b < f.ages.size(); ++b) {
        if (f.ages[b] > 0) out["ages"] << key << b << ',' << f.ages[b] << '\n';
      }
    } else if (t.has_facility()) {
      const std::string& fid = t.facility().facility_id();
      for (const tvault::v1::ConditionReport& c : t.facility().conditions()) {
        out["conditions"] << key << fid << ',' << facility_type[fid] << ',' << c.condition()
                          << ',' << c.severity() << '\n';
      }
      // A facility testimony without conditions still counts in facility_testimonies.
      if (t.facility().conditions_size() == 0) {
        out["conditions"] << key << fid << ',' << facility_type[fid] << ",,\n";
      }
    }
  }
  for (auto& [name, f] : out) {
    f.close();
    if (!f) {
      std::fprintf(stderr, "cannot finish %s.csv\n", name.c_str());
      return 1;
    }
  }
  std::fprintf(stderr, "flattened %llu testimonies into %s\n", static_cast<unsigned long long>(n),
               dir.c_str());
  return 0;
}
