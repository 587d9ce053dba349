#pragma once

#include <string>

namespace moim::bench {

/// CPU time at one moment: moimd's (its process_cpu_seconds_total gauge,
/// -1 when /metrics did not answer), the bench's own, and the machine's
/// busy and total time (/proc/stat), with the wall clock.
struct cpu_sample {
  double wall = 0;
  double moimd = -1;
  double bench = 0;
  double machine_busy = 0;
  double machine_total = 0;
};

/// Takes a sample; `moimd_cpu` is moimd's gauge read now.
[[nodiscard]] cpu_sample sample_cpu(double moimd_cpu);

/// "moimd 1.10 cores, moim-bench 0.40, the machine 1.95 of 2 busy": the
/// cores each used between `from` and `to`.
[[nodiscard]] std::string cpu_between(const cpu_sample& from,
                                      const cpu_sample& to);

} // namespace moim::bench
