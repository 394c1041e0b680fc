// Stage timings, for `--timings` and the benchmarks (docs/performance.md). A StageClock
// measures wall time and this process's CPU time from its construction or last Lap; the
// figures are informative only and never change what a command does.
#ifndef TVAULT_TIMING_H_
#define TVAULT_TIMING_H_

#include <chrono>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

namespace tvault {

// The time one named stage took.
struct StageTime {
  std::string stage;
  double cpu_seconds = 0;   // CPU time of the whole process (all threads) during the stage
  double wall_seconds = 0;
};

class StageClock {
 public:
  StageClock() { Restart(); }

  void Restart() {
    wall_ = std::chrono::steady_clock::now();
    cpu_ = Cpu();
  }

  // Appends the time since construction or the last Lap to `out` under `stage`, and restarts.
  void Lap(const std::string& stage, std::vector<StageTime>* out) {
    const auto now = std::chrono::steady_clock::now();
    const double cpu = Cpu();
    out->push_back(StageTime{stage, cpu - cpu_,
                             std::chrono::duration<double>(now - wall_).count()});
    wall_ = now;
    cpu_ = cpu;
  }

 private:
  static double Cpu() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }

  std::chrono::steady_clock::time_point wall_;
  double cpu_ = 0;
};

}  // namespace tvault

#endif  // TVAULT_TIMING_H_
