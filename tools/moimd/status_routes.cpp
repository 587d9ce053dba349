#include "tools/moimd/status_routes.hpp"

#include "infra/kafka/kafka_probe.hpp"
#include "infra/postgres/postgres_probe.hpp"
#include "infra/redis/redis_probe.hpp"
#include "infra/search/search_probe.hpp"

#include <nlohmann/json.hpp>

namespace moim::moimd {

namespace {

infra::dependency_check
make_check(std::string name, const infra::dependency_options& dep,
           std::optional<std::string> (*probe)(const std::string&,
                                               std::chrono::milliseconds)) {
  auto url = dep.url;
  return {std::move(name), !url.empty(), dep.required,
          [url, probe](std::chrono::milliseconds timeout) {
            return probe(url, timeout);
          }};
}

} // namespace

std::vector<infra::dependency_check> dependency_checks(const settings& cfg) {
  return {make_check("kafka", cfg.eventlog.kafka, infra::probe_kafka),
          make_check("postgres", cfg.postgres, infra::probe_postgres),
          make_check("redis", cfg.redis, infra::probe_redis),
          make_check("search", cfg.search, infra::probe_search)};
}

void add_status_routes(infra::router& routes, infra::metrics_registry& metrics,
                       std::vector<infra::dependency_check> checks,
                       std::chrono::milliseconds timeout,
                       blocking_executor offload) {
  routes.add("GET", "/healthz",
             [](const infra::http_request&, infra::reply_fn reply) {
               reply(infra::http_response::json(200, {{"status", "ok"}}));
             });

  auto& ready_failures = metrics.get_counter(
    "moim_readiness_failures_total", "readiness checks that answered 503");
  routes.add(
    "GET", "/readyz",
    [checks = std::move(checks), timeout, offload,
     &ready_failures](const infra::http_request&, infra::reply_fn reply) {
      offload([checks, timeout, reply, &ready_failures] {
        auto report = infra::check_readiness(checks, timeout);
        if (!report.ready)
          ready_failures.add();
        reply(infra::http_response::text(report.ready ? 200 : 503,
                                         report.to_json(), "application/json"));
      });
    });

  routes.add("GET", "/metrics",
             [&metrics](const infra::http_request&, infra::reply_fn reply) {
               reply(infra::http_response::text(200, metrics.render(),
                                                "text/plain; version=0.0.4"));
             });
}

} // namespace moim::moimd
