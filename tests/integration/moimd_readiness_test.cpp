// moimd against the real stack: /readyz is ok with every service up, and
// 503 naming redis once its Redis stops. The test runs a Redis of its own
// for this, so that stopping it does not disturb other tests.

#include "infra/http/client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <thread>

using namespace moim::test;
using namespace std::chrono_literals;
using moim::infra::http_call;
using moim::infra::http_reply;

namespace {

/// Polls `url` until it answers with `status` or 30 s pass.
http_reply wait_for_status(const std::string& url, int status) {
  auto deadline = std::chrono::steady_clock::now() + 30s;
  http_reply last;
  while (std::chrono::steady_clock::now() < deadline) {
    auto reply = http_call("GET", url, {}, 5s);
    if (reply) {
      last = *reply;
      if (reply->status == status)
        return last;
    }
    std::this_thread::sleep_for(200ms);
  }
  FAIL("GET " << url << " never answered " << status
              << "; last: " << last.status << " " << last.body);
  return last;
}

} // namespace

TEST_CASE("moimd: /readyz is ok on the stack and 503 naming redis without it") {
  auto redis_port = free_port();
  child_process redis{{"/usr/bin/redis-server", "--port",
                       std::to_string(redis_port), "--bind", "127.0.0.1",
                       "--save", "", "--appendonly", "no"}};
  auto port = free_port();
  auto base = "http://127.0.0.1:" + std::to_string(port);
  child_process moimd{{MOIMD_PATH, "--server.port", std::to_string(port),
                       "--redis.url",
                       "redis://127.0.0.1:" + std::to_string(redis_port)},
                      {"MOIM_KAFKA_BROKERS=" + stack_env("MOIM_KAFKA_BROKERS"),
                       "MOIM_POSTGRES_URL=" + stack_env("MOIM_POSTGRES_URL"),
                       "MOIM_SEARCH_URL=" + stack_env("MOIM_SEARCH_URL")}};

  auto health = wait_for_status(base + "/healthz", 200);
  CHECK(nlohmann::json::parse(health.body)["status"] == "ok");

  auto ready = wait_for_status(base + "/readyz", 200);
  auto doc = nlohmann::json::parse(ready.body);
  INFO(ready.body);
  CHECK(doc["status"] == "ok");
  for (auto name : {"kafka", "postgres", "redis", "search"})
    CHECK(doc["checks"][name]["status"] == "ok");

  redis.signal(SIGTERM);
  REQUIRE(redis.wait(10s));

  auto unready = wait_for_status(base + "/readyz", 503);
  doc = nlohmann::json::parse(unready.body);
  INFO(unready.body);
  CHECK(doc["status"] == "unavailable");
  CHECK(doc["checks"]["redis"]["status"] == "error");
  CHECK_THAT(doc["checks"]["redis"]["error"].get<std::string>(),
             Catch::Contains("redis"));
  CHECK(doc["checks"]["kafka"]["status"] == "ok");

  auto metrics = http_call("GET", base + "/metrics");
  REQUIRE(metrics);
  CHECK_THAT(metrics->body, Catch::Contains("moim_uptime_seconds"));
  CHECK_THAT(metrics->body, Catch::Contains("moim_build_info{"));

  // SIGTERM shuts it down cleanly.
  moimd.signal(SIGTERM);
  auto code = moimd.wait(15s);
  REQUIRE(code);
  CHECK(*code == 0);
  CHECK_THAT(moimd.output(), Catch::Contains("shutting down"));
}
