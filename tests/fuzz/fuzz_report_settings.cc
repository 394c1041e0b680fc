// Fuzz target: a report settings file (`tvault report --settings FILE`). Contract: a Status for
// any bytes, and settings that are accepted are complete: k > 0, finite positive time budgets,
// a known suppression cost.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "fuzz_common.h"
#include "tvault/report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tvault;
  auto s = ParseReportSettingsJson(fuzz::AsText(data, size), "settings.json");
  if (!s.ok()) return 0;
  if (s->people().k() == 0 || s->testimonies().k() == 0 ||
      !std::isfinite(s->protect_time_limit_seconds()) || s->protect_time_limit_seconds() <= 0 ||
      !std::isfinite(s->audit_time_limit_seconds()) || s->audit_time_limit_seconds() <= 0 ||
      (s->suppression_cost() != "value" && s->suppression_cost() != "unity")) {
    __builtin_trap();
  }
  return 0;
}
