#include "infra/metrics/registry.hpp"

#include <cstdio>

namespace moim::infra {

namespace {

std::string format_value(double value) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", value);
  return buf;
}

} // namespace

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
  }
  return out;
}

} // namespace moim::infra
