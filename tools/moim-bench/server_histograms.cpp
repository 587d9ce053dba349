#include "tools/moim-bench/server_histograms.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace moim::bench {

namespace {

/// The value of `le="..."` in a label text.
double bound_of(const std::string& labels) {
  auto at = labels.find("le=\"");
  if (at == std::string::npos)
    return std::numeric_limits<double>::quiet_NaN();
  auto text = labels.substr(at + 4, labels.find('"', at + 4) - at - 4);
  if (text == "+Inf")
    return std::numeric_limits<double>::infinity();
  return std::strtod(text.c_str(), nullptr);
}

std::string ms(double seconds) {
  char buf[32];
  if (std::isinf(seconds))
    return "+Inf";
  std::snprintf(buf, sizeof(buf), "%.3g ms", seconds * 1000);
  return buf;
}

} // namespace

server_histogram
server_histogram::since(const server_histogram& earlier) const {
  auto out = *this;
  if (earlier.bounds != bounds)
    return out; // moimd restarted or reshaped them: the later reading alone
  for (std::size_t i = 0; i < out.cumulative.size(); ++i)
    out.cumulative[i] -= earlier.cumulative[i];
  out.sum -= earlier.sum;
  out.count -= earlier.count;
  return out;
}

double server_histogram::quantile_bound(double q) const {
  if (count <= 0)
    return 0;
  for (std::size_t i = 0; i < cumulative.size(); ++i)
    if (cumulative[i] >= q * count)
      return bounds[i];
  return std::numeric_limits<double>::infinity();
}

server_histogram read_histogram(const std::string& metrics,
                                const std::string& name,
                                const std::string& label) {
  server_histogram h;
  std::istringstream in{metrics};
  std::string line;
  auto value_of = [](const std::string& l) {
    return std::strtod(l.c_str() + l.rfind(' ') + 1, nullptr);
  };
  while (std::getline(in, line)) {
    if (line.rfind(name, 0) != 0)
      continue;
    auto rest = line.substr(name.size());
    auto brace = rest.find('{');
    auto suffix = rest.substr(0, std::min(brace, rest.find(' ')));
    auto labels = brace == std::string::npos
                    ? std::string{}
                    : rest.substr(brace, rest.find('}') - brace + 1);
    if (!label.empty() && labels.find(label) == std::string::npos)
      continue;
    if (suffix == "_bucket") {
      auto b = bound_of(labels);
      std::size_t i = 0;
      while (i < h.bounds.size() && h.bounds[i] != b)
        ++i;
      if (i == h.bounds.size()) {
        h.bounds.push_back(b);
        h.cumulative.push_back(0);
      }
      h.cumulative[i] += value_of(line);
    } else if (suffix == "_sum") {
      h.sum += value_of(line);
    } else if (suffix == "_count") {
      h.count += value_of(line);
    }
  }
  return h;
}

std::string group_commit_summary(const std::string& before,
                                 const std::string& after, double seconds) {
  auto window = [&](const char* name, const std::string& label = {}) {
    return read_histogram(after, name, label)
      .since(read_histogram(before, name, label));
  };
  auto commit = window("moim_log_commit_seconds");
  if (commit.count <= 0 || seconds <= 0)
    return {};
  auto events = window("moim_log_commit_events");
  auto queued = window("moim_log_group_queued_seconds");
  char buf[512];
  std::snprintf(
    buf, sizeof(buf),
    "%.1f/s of %.0f events on average; commit mean %s (p99 <= "
    "%s), oldest append queued mean %s (p99 <= %s)",
    commit.count / seconds, events.mean(), ms(commit.mean()).c_str(),
    ms(commit.quantile_bound(0.99)).c_str(), ms(queued.mean()).c_str(),
    ms(queued.quantile_bound(0.99)).c_str());
  std::string out = buf;
  const char* stages[] = {"produce", "flush", "offsets", "end"};
  std::string parts;
  for (const char* stage : stages) {
    auto s = window("moim_log_transaction_stage_seconds",
                    std::string{"stage=\""} + stage + "\"");
    if (s.count <= 0)
      continue;
    parts
      += (parts.empty() ? "" : ", ") + std::string{stage} + " " + ms(s.mean());
  }
  if (!parts.empty())
    out += "; transaction stages mean " + parts;
  return out;
}

} // namespace moim::bench
