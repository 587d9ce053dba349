#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace moim::sagas {

/// How often and how soon a step is tried again: exponential backoff with
/// a cap and jitter. The jitter is drawn from a seed of the saga, step and
/// attempt (jitter_seed), so a coordinator recovering the saga computes
/// the same retry time from the same failure.
struct retry_policy {
  /// Attempts before the step gives up (a forward step before the pivot:
  /// the saga compensates; a compensation: the saga fails for an
  /// operator). Forward steps after the pivot retry without a limit.
  std::uint32_t max_attempts = 5;
  std::chrono::milliseconds initial{100};
  std::chrono::milliseconds cap{10000};
  double multiplier = 2.0;

  /// The wait after failed attempt `attempt` (1, 2, ...): the exponential
  /// delay d = min(cap, initial * multiplier^(attempt-1)), half of it
  /// fixed and half drawn from `seed` ("equal jitter": never less than
  /// d/2, so retries neither stampede nor collapse to zero).
  [[nodiscard]] std::chrono::milliseconds backoff(std::uint32_t attempt,
                                                  std::uint64_t seed) const;
};

/// A stable 64-bit seed of a step's attempt (FNV-1a: stable across
/// builds and processes, unlike std::hash).
[[nodiscard]] std::uint64_t jitter_seed(const std::string& saga,
                                        std::uint32_t step,
                                        std::uint32_t attempt,
                                        bool compensation);

} // namespace moim::sagas
