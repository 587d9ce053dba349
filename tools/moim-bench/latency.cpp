#include "tools/moim-bench/latency.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace moim::bench {

void latency_recorder::merge(const latency_recorder& other) {
  samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
  sorted_ = false;
}

double latency_recorder::quantile(double q) {
  if (samples_.empty())
    return 0;
  if (!sorted_) {
    std::sort(samples_.begin(), samples_.end());
    sorted_ = true;
  }
  auto rank = static_cast<std::size_t>(
    std::ceil(q * static_cast<double>(samples_.size())));
  rank = std::clamp<std::size_t>(rank, 1, samples_.size());
  return static_cast<double>(samples_[rank - 1]);
}

std::string latency_recorder::summary() {
  char buf[128];
  std::snprintf(buf, sizeof(buf), "p50 %7.2f ms  p99 %7.2f ms  p999 %7.2f ms",
                quantile(0.5) / 1000.0, quantile(0.99) / 1000.0,
                quantile(0.999) / 1000.0);
  return buf;
}

} // namespace moim::bench
