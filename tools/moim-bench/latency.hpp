#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace moim::bench {

/// Latency samples in microseconds, and their percentiles.
class latency_recorder {
public:
  void add(std::chrono::nanoseconds sample) {
    samples_.push_back(
      std::chrono::duration_cast<std::chrono::microseconds>(sample).count());
  }

  void merge(const latency_recorder& other);

  /// The q-quantile (0..1) in microseconds; 0 without samples.
  [[nodiscard]] double quantile(double q);

  [[nodiscard]] std::size_t count() const noexcept {
    return samples_.size();
  }

  /// "p50 1.2 ms  p99 3.4 ms  p999 9.9 ms"
  [[nodiscard]] std::string summary();

private:
  std::vector<long long> samples_;
  bool sorted_ = false;
};

} // namespace moim::bench
