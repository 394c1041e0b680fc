// Report settings: defaults, completion and checks, and the settings file; the month of a
// release.
#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <set>

#include "pipeline/table_set.h"
#include "pipeline/tables.h"
#include "report/report_internal.h"
#include "tvault/report.h"
#include "tvault/schema.h"
#include "util/clock.h"

namespace tvault {
namespace {

// 1: no nationality is folded into "other". A threshold above 1 chooses the categories from the
// year-to-date data, so a nationality can move out of "other" between two reports of one
// year; the two versions of the earlier month then differ by exactly that nationality's count,
// which `tvault verify --previous` showed to disclose suppressed cells (docs/methodology.md).
constexpr uint32_t kDefaultNationalityMinPeople = 1;
constexpr double kDefaultProtectSeconds = 300;
constexpr double kDefaultAuditSeconds = 600;
constexpr double kMaxSeconds = 24 * 3600;

v1::ProtectionSettings FromRule(const pipeline::ProtectionRule& r) {
  v1::ProtectionSettings s;
  s.set_k(r.k);
  s.set_upper_percent(r.upper_percent);
  s.set_upper_min(r.upper_min);
  s.set_lower_percent(r.lower_percent);
  s.set_lower_min(r.lower_min);
  s.set_width_percent(r.width_percent);
  s.set_width_min(r.width_min);
  return s;
}

}  // namespace

v1::ReportSettings DefaultReportSettings() {
  v1::ReportSettings s;
  *s.mutable_people() = FromRule(pipeline::PeopleRule());
  *s.mutable_testimonies() = FromRule(pipeline::TestimonyRule());
  s.set_nationality_min_people(kDefaultNationalityMinPeople);
  s.set_suppression_cost("value");
  s.set_protect_time_limit_seconds(kDefaultProtectSeconds);
  s.set_audit_time_limit_seconds(kDefaultAuditSeconds);
  return s;
}

Result<v1::ReportSettings> CompleteReportSettings(v1::ReportSettings s) {
  const v1::ReportSettings d = DefaultReportSettings();
  // A protection message that is given is taken whole (every level), except that k = 0 means
  // "the default k": a threshold of 0 would publish everything.
  for (auto [given, def, name] :
       {std::tuple{s.mutable_people(), &d.people(), "people"},
        std::tuple{s.mutable_testimonies(), &d.testimonies(), "testimonies"}}) {
    if (given->ByteSizeLong() == 0) *given = *def;
    if (given->k() == 0) given->set_k(def->k());
    Status st = pipeline::ValidateRule(report_internal::RuleOf(*given));
    if (!st.ok()) return InvalidArgument(std::string("settings.") + name + ": " + st.message());
  }
  if (s.nationality_min_people() == 0) s.set_nationality_min_people(d.nationality_min_people());
  if (s.suppression_cost().empty()) s.set_suppression_cost(d.suppression_cost());
  if (s.suppression_cost() != "value" && s.suppression_cost() != "unity") {
    return InvalidArgument("settings.suppression_cost: must be \"value\" or \"unity\", not \"" +
                           s.suppression_cost() + "\"");
  }
  for (auto [value, name] :
       {std::pair{s.protect_time_limit_seconds(), "protect_time_limit_seconds"},
        std::pair{s.audit_time_limit_seconds(), "audit_time_limit_seconds"}}) {
    if (!std::isfinite(value) || value < 0 || value > kMaxSeconds) {
      return InvalidArgument(std::string("settings.") + name + ": must be between 0 and " +
                             std::to_string(static_cast<int>(kMaxSeconds)));
    }
  }
  if (s.protect_time_limit_seconds() == 0) {
    s.set_protect_time_limit_seconds(d.protect_time_limit_seconds());
  }
  if (s.audit_time_limit_seconds() == 0) {
    s.set_audit_time_limit_seconds(d.audit_time_limit_seconds());
  }
  std::set<std::string> seen;
  for (const std::string& t : s.tables()) {
    if (pipeline::FindTable(t) == nullptr) {
      return InvalidArgument("settings.tables: unknown table \"" + t +
                             "\" (docs/methodology.md lists them)");
    }
    if (!seen.insert(t).second) {
      return InvalidArgument("settings.tables: \"" + t + "\" is listed twice");
    }
  }
  return s;
}

Result<v1::ReportSettings> ParseReportSettingsJson(std::string_view json,
                                                   const std::string& file_name) {
  v1::ReportSettings s;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto st = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &s, options);
  if (!st.ok()) {
    return InvalidArgument(file_name + ": not a settings file: " + std::string(st.message()));
  }
  Result<v1::ReportSettings> done = CompleteReportSettings(std::move(s));
  if (!done.ok()) return InvalidArgument(file_name + ": " + done.status().message());
  return done;
}

Status CheckReportMonth(const std::string& month) {
  if (month.size() != 7 || !IsIsoDate(month + "-01")) {
    return InvalidArgument("--month: \"" + month + "\" is not a month (YYYY-MM)");
  }
  const std::string today = internal::TodayUtc();
  if (month >= today.substr(0, 7)) {
    return InvalidArgument("--month " + month + ": the month has not ended yet (today is " +
                           today + "); a release is made after its month");
  }
  return Status::Ok();
}

}  // namespace tvault
