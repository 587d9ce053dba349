#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace moim::infra {

/// A monotonically increasing count, safe to bump from any thread.
class counter {
public:
  void add(double amount = 1.0) noexcept;
  [[nodiscard]] double value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

private:
  std::atomic<double> value_{0.0};
};

/// Counts of observed values by bucket (cumulative when read), their sum
/// and count: a Prometheus histogram. `observe` is lock-free and may be
/// called from any thread.
class histogram {
public:
  /// `upper_bounds` ascending; a +Inf bucket is added.
  explicit histogram(std::vector<double> upper_bounds);

  void observe(double value) noexcept;

  struct snapshot {
    std::vector<double> upper_bounds;
    std::vector<std::uint64_t> cumulative; ///< per bound, then +Inf
    double sum = 0;
  };
  [[nodiscard]] snapshot read() const;

  /// Seconds from 0.5 ms to 10 s.
  [[nodiscard]] static std::vector<double> latency_bounds();

private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_; ///< not cumulative
  counter sum_;
};

/// Metrics in the Prometheus text exposition format (version 0.0.4).
/// Hand-written because Debian 12 packages no Prometheus client for C++;
/// the format is a few lines of text per family.
class metrics_registry {
public:
  using labels = std::map<std::string, std::string>;

  /// The counter of family `name` with these labels, created on first use.
  counter& get_counter(const std::string& name, const std::string& help,
                       const labels& label_values = {});

  /// A gauge whose value is read when metrics are rendered.
  void add_gauge(const std::string& name, const std::string& help,
                 std::function<double()> read, const labels& label_values = {});

  /// Gauges whose label sets come and go (e.g. one per partition a node
  /// holds): `read` gives every (labels, value) when metrics are rendered.
  using samples = std::vector<std::pair<labels, double>>;
  void add_gauge_set(const std::string& name, const std::string& help,
                     std::function<samples()> read);

  /// A histogram the caller observes into (and may share).
  void add_histogram(const std::string& name, const std::string& help,
                     std::shared_ptr<const histogram> h,
                     const labels& label_values = {});

  [[nodiscard]] std::string render() const;

private:
  struct family {
    std::string help;
    std::string type;
    std::map<std::string, std::unique_ptr<counter>> counters; // by label text
    std::vector<std::pair<std::string, std::function<double()>>> gauges;
    std::vector<std::function<samples()>> sets;
    std::vector<std::pair<labels, std::shared_ptr<const histogram>>> histograms;
  };

  mutable std::mutex mtx_;
  std::map<std::string, family> families_;
};

/// `{a="1",b="x"}` with Prometheus escaping; empty for no labels.
[[nodiscard]] std::string render_labels(const metrics_registry::labels& labels);

} // namespace moim::infra
