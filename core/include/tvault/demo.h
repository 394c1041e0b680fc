// The deterministic generator of fictional demo testimonies, shaped by the public figures in
// docs/demo-data.md. Used by the demo, the tests and the benchmarks.
#ifndef TVAULT_DEMO_H_
#define TVAULT_DEMO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tvault/v1/testimony.pb.h"

namespace tvault {

struct DemoOptions {
  uint64_t count = 100;
  uint64_t seed = 1;
  // Incident dates fall in the twelve months ending with this one ("YYYY-MM"). Fixed rather
  // than "now" so that the same options give the same bytes on any day.
  std::string until_month = "2026-10";
  // Today's date (YYYY-MM-DD, UTC), or empty. When set, every generated date and time falls
  // before this day: a testimony is dated and recorded after the fact, so the data ends the
  // day before (incident days of the window after that are moved back to it). `tvault
  // demo-data` passes today's date and refuses an --until after the current month; left empty,
  // nothing but until_month bounds the dates (and the output is the same on any day).
  std::string today;
};

// About twenty fictional facilities (no real place is ever named). Deterministic.
std::vector<tvault::v1::Facility> DemoFacilities();

// `count` testimonies, as a monitor would enter them: identity and narrative filled in (with
// fictional values), no id, no sealed identity. The same options give the same output.
// Facility testimonies reference DemoFacilities() ids.
std::vector<tvault::v1::Testimony> GenerateDemoTestimonies(const DemoOptions& options);

}  // namespace tvault

#endif  // TVAULT_DEMO_H_
