// Wall-clock time in the forms the store writes.
#ifndef TVAULT_UTIL_CLOCK_H_
#define TVAULT_UTIL_CLOCK_H_

#include <cstdint>
#include <string>

namespace tvault::internal {

// Seconds since the epoch, UTC.
int64_t NowSeconds();
// "2026-11-25T19:08:56Z" for `seconds` since the epoch.
std::string Rfc3339(int64_t seconds);
// "2026-11-25" (UTC) for today.
std::string TodayUtc();

// Lower-case hex of bytes.
std::string ToHex(const std::string& bytes);

}  // namespace tvault::internal

#endif  // TVAULT_UTIL_CLOCK_H_
