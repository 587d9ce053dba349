#pragma once

#include <string>
#include <vector>

namespace moim::bench {

/// One of moimd's histograms read from its /metrics text, summed over its
/// label sets (bucket bounds ascending, counts cumulative).
struct server_histogram {
  std::vector<double> bounds; ///< the last is +Inf
  std::vector<double> cumulative;
  double sum = 0;
  double count = 0;

  /// What was observed between `earlier` and this reading.
  [[nodiscard]] server_histogram since(const server_histogram& earlier) const;

  /// The least bucket bound that holds the share `q` of the observations
  /// (+Inf when the last bucket does; 0 when empty).
  [[nodiscard]] double quantile_bound(double q) const;

  [[nodiscard]] double mean() const {
    return count > 0 ? sum / count : 0;
  }
};

/// Histogram `name` in Prometheus text `metrics`, only the label sets
/// that contain `label` (e.g. `stage="end"`; empty: all). Empty when absent.
[[nodiscard]] server_histogram read_histogram(const std::string& metrics,
                                              const std::string& name,
                                              const std::string& label = {});

/// "commit mean 12.1 ms, p99 <= 25 ms, 26.0/s": what the log's group commits
/// did over a window (`before`, `after`: /metrics texts `seconds` apart),
/// or "" when moimd reports none.
[[nodiscard]] std::string group_commit_summary(const std::string& before,
                                               const std::string& after,
                                               double seconds);

} // namespace moim::bench
