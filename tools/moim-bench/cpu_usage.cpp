#include "tools/moim-bench/cpu_usage.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

namespace moim::bench {

namespace {

double seconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

} // namespace

cpu_sample sample_cpu(double moimd_cpu) {
  cpu_sample s;
  s.wall = std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
             .count();
  s.moimd = moimd_cpu;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  s.bench = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  // cpu  user nice system idle iowait irq softirq steal ...
  std::ifstream stat{"/proc/stat"};
  std::string label;
  stat >> label;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  double value = 0;
  for (int field = 0; field < 8 && stat >> value; ++field) {
    s.machine_total += value / tick;
    if (field != 3 && field != 4) // idle, iowait
      s.machine_busy += value / tick;
  }
  return s;
}

std::string cpu_between(const cpu_sample& from, const cpu_sample& to) {
  auto wall = to.wall - from.wall;
  if (wall <= 0)
    return "not measured";
  char text[200];
  auto cores = std::thread::hardware_concurrency();
  if (from.moimd >= 0 && to.moimd >= 0)
    std::snprintf(text, sizeof text,
                  "moimd %.2f cores, moim-bench %.2f, the machine %.2f of %u "
                  "busy",
                  (to.moimd - from.moimd) / wall,
                  (to.bench - from.bench) / wall,
                  (to.machine_busy - from.machine_busy) / wall, cores);
  else
    std::snprintf(text, sizeof text,
                  "moim-bench %.2f cores, the machine %.2f of %u busy "
                  "(moimd's unknown: /metrics did not answer)",
                  (to.bench - from.bench) / wall,
                  (to.machine_busy - from.machine_busy) / wall, cores);
  return text;
}

} // namespace moim::bench
