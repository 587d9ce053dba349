#include "infra/health/readiness.hpp"

#include <nlohmann/json.hpp>

#include <future>

namespace moim::infra {

std::string readiness_report::to_json() const {
  nlohmann::json checks = nlohmann::json::object();
  for (const auto& dep : dependencies) {
    nlohmann::json entry;
    if (!dep.configured) {
      entry["status"] = "not_configured";
    } else {
      entry["status"] = dep.ok ? "ok" : "error";
      entry["required"] = dep.required;
      entry["took_ms"] = dep.took.count();
      if (!dep.ok)
        entry["error"] = dep.detail;
    }
    checks[dep.name] = std::move(entry);
  }
  nlohmann::json doc{{"status", ready ? "ok" : "unavailable"},
                     {"checks", std::move(checks)}};
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

readiness_report check_readiness(const std::vector<dependency_check>& checks,
                                 std::chrono::milliseconds timeout) {
  using clock = std::chrono::steady_clock;
  std::vector<std::future<dependency_status>> pending;
  for (const auto& check : checks) {
    pending.push_back(std::async(std::launch::async, [check, timeout] {
      dependency_status status{
        check.name, check.configured, check.required, false, {}, {}};
      if (!check.configured)
        return status;
      auto start = clock::now();
      try {
        auto problem = check.probe(timeout);
        status.ok = !problem;
        status.detail = problem.value_or("");
      } catch (const std::exception& e) {
        status.detail = e.what();
      }
      status.took = std::chrono::duration_cast<std::chrono::milliseconds>(
        clock::now() - start);
      return status;
    }));
  }
  readiness_report report;
  for (auto& f : pending) {
    auto status = f.get();
    if (status.configured && status.required && !status.ok)
      report.ready = false;
    report.dependencies.push_back(std::move(status));
  }
  return report;
}

} // namespace moim::infra
