// Fuzz target: a testimony or facility import file (`tvault add --from`, `facility add`).
// Contract checked: parsing and validation return a Status for any bytes (no crash, no
// sanitizer report), and every record that parses prints back to JSON that parses again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz_common.h"
#include "tvault/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tvault;
  const std::string_view text = fuzz::AsText(data, size);
  ValidationContext ctx;
  ctx.today = "2026-11-25";
  ctx.facility_exists = [](std::string_view id) { return id == "hr-jezevo"; };

  auto records = ParseTestimoniesJson(text);
  if (records.ok()) {
    for (const InputRecord& r : *records) {
      (void)ValidateTestimony(r.testimony, ctx);
      const std::string again = MessageToJson(r.testimony, false);
      if (again.empty() || !ParseTestimoniesJson(again).ok()) {
        std::abort();  // A record we accepted could not be written back.
      }
    }
  }
  auto facilities = ParseFacilitiesJson(text);
  if (facilities.ok()) {
    for (const v1::Facility& f : *facilities) (void)ValidateFacility(f);
  }
  return 0;
}
