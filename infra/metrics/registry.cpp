#include "infra/metrics/registry.hpp"

#include "events/vassert.hpp"

#include <algorithm>
#include <cstdio>

namespace moim::infra {

namespace {

std::string format_value(double value) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", value);
  return buf;
}

/// A bucket's bound as written in its `le` label: short, as people set it.
std::string format_bound(double bound) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", bound);
  return buf;
}

} // namespace

histogram::histogram(std::vector<double> upper_bounds)
  : bounds_(std::move(upper_bounds)),
    counts_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  MOIM_VASSERT(std::is_sorted(bounds_.begin(), bounds_.end()),
               "a histogram's bounds must ascend");
  for (std::size_t i = 0; i <= bounds_.size(); ++i)
    counts_[i].store(0, std::memory_order_relaxed);
}

void histogram::observe(double value) noexcept {
  auto at = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  counts_[static_cast<std::size_t>(at - bounds_.begin())].fetch_add(
    1, std::memory_order_relaxed);
  sum_.add(value);
}

histogram::snapshot histogram::read() const {
  snapshot out;
  out.upper_bounds = bounds_;
  out.cumulative.reserve(bounds_.size() + 1);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    total += counts_[i].load(std::memory_order_relaxed);
    out.cumulative.push_back(total);
  }
  out.sum = sum_.value();
  return out;
}

std::vector<double> histogram::latency_bounds() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,  0.5,    1,     2.5,  10};
}

void counter::add(double amount) noexcept {
  auto current = value_.load(std::memory_order_relaxed);
  while (!value_.compare_exchange_weak(current, current + amount,
                                       std::memory_order_relaxed)) {
    // retry with the refreshed value
  }
}

std::string render_labels(const metrics_registry::labels& labels) {
  if (labels.empty())
    return {};
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    if (out.size() > 1)
      out += ',';
    out += name + "=\"";
    for (char c : value) {
      if (c == '\\' || c == '"')
        out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

counter& metrics_registry::get_counter(const std::string& name,
                                       const std::string& help,
                                       const labels& label_values) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& fam = families_[name];
  fam.help = help;
  fam.type = "counter";
  auto& slot = fam.counters[render_labels(label_values)];
  if (!slot)
    slot = std::make_unique<counter>();
  return *slot;
}

void metrics_registry::add_gauge(const std::string& name,
                                 const std::string& help,
                                 std::function<double()> read,
                                 const labels& label_values) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& fam = families_[name];
  fam.help = help;
  fam.type = "gauge";
  fam.gauges.emplace_back(render_labels(label_values), std::move(read));
}

void metrics_registry::add_gauge_set(const std::string& name,
                                     const std::string& help,
                                     std::function<samples()> read) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& fam = families_[name];
  fam.help = help;
  fam.type = "gauge";
  fam.sets.push_back(std::move(read));
}

void metrics_registry::add_histogram(const std::string& name,
                                     const std::string& help,
                                     std::shared_ptr<const histogram> h,
                                     const labels& label_values) {
  MOIM_VASSERT(h != nullptr, "histogram %s: null", name.c_str());
  std::lock_guard<std::mutex> guard{mtx_};
  auto& fam = families_[name];
  fam.help = help;
  fam.type = "histogram";
  fam.histograms.emplace_back(label_values, std::move(h));
}

std::string metrics_registry::render() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::string out;
  for (const auto& [name, fam] : families_) {
    out += "# HELP " + name + " " + fam.help + "\n";
    out += "# TYPE " + name + " " + fam.type + "\n";
    for (const auto& [labels, c] : fam.counters)
      out += name + labels + " " + format_value(c->value()) + "\n";
    for (const auto& [labels, read] : fam.gauges)
      out += name + labels + " " + format_value(read()) + "\n";
    for (const auto& read : fam.sets)
      for (const auto& [labels, value] : read())
        out += name + render_labels(labels) + " " + format_value(value) + "\n";
    for (const auto& [labels, h] : fam.histograms) {
      auto snap = h->read();
      for (std::size_t i = 0; i < snap.cumulative.size(); ++i) {
        auto with_le = labels;
        with_le["le"] = i < snap.upper_bounds.size()
                          ? format_bound(snap.upper_bounds[i])
                          : std::string{"+Inf"};
        out += name + "_bucket" + render_labels(with_le) + " "
               + format_value(static_cast<double>(snap.cumulative[i])) + "\n";
      }
      auto text = render_labels(labels);
      out += name + "_sum" + text + " " + format_value(snap.sum) + "\n";
      out += name + "_count" + text + " "
             + format_value(static_cast<double>(snap.cumulative.back())) + "\n";
    }
  }
  return out;
}

} // namespace moim::infra
