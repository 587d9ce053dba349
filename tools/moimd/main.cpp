// moimd, the composition root: configuration -> adapters -> server.
// Teardown runs in reverse order of construction.

#include "actors/write_side.hpp"
#include "gateway/gateway.hpp"
#include "infra/http/server.hpp"
#include "infra/logging/logging.hpp"
#include "infra/metrics/registry.hpp"
#include "projections/read_side.hpp"
#include "tools/moimd/command_line.hpp"
#include "tools/moimd/status_routes.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace {

using namespace moim;

// Signals are taken synchronously by the main thread; every other thread
// inherits the blocked mask and never sees them.
sigset_t block_shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

void add_process_metrics(infra::metrics_registry& metrics) {
  auto started = std::chrono::steady_clock::now();
  metrics.add_gauge("moim_uptime_seconds", "seconds since moimd started",
                    [started] {
                      return std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - started)
                        .count();
                    });
  metrics.add_gauge("moim_build_info", "the running build",
                    [] {
                      return 1.0;
                    },
                    {{"version", MOIM_VERSION}, {"compiler", __VERSION__}});
  metrics.add_gauge(
    "process_resident_memory_bytes", "resident set size of moimd", [] {
      // statm: size, resident (pages), ...
      std::ifstream statm{"/proc/self/statm"};
      double size = 0;
      double resident = 0;
      statm >> size >> resident;
      return resident * static_cast<double>(sysconf(_SC_PAGESIZE));
    });
  metrics.add_gauge("process_cpu_seconds_total",
                    "user and system CPU time of moimd", [] {
                      rusage usage{};
                      getrusage(RUSAGE_SELF, &usage);
                      auto seconds = [](const timeval& t) {
                        return static_cast<double>(t.tv_sec)
                               + static_cast<double>(t.tv_usec) / 1e6;
                      };
                      return seconds(usage.ru_utime) + seconds(usage.ru_stime);
                    });
  metrics.add_gauge(
    "moim_websocket_connections", "open WebSocket connections", [] {
      return static_cast<double>(infra::open_websocket_connections());
    });
  metrics.add_gauge("moim_sse_streams", "open SSE notification streams", [] {
    return static_cast<double>(infra::open_event_streams());
  });
}

} // namespace

int main(int argc, char** argv) {
  auto signals = block_shutdown_signals();
  auto startup = moimd::parse_command_line(argc, argv, environ);
  if (!startup.settings)
    return startup.exit_code < 0 ? 0 : startup.exit_code;
  const auto& cfg = *startup.settings;

  infra::setup_logging(cfg.log);
  for (const auto& warning : startup.warnings)
    spdlog::warn("{}", warning);
  auto roles = moimd::parse_roles(cfg.node.roles);
  if (!roles) {
    spdlog::critical("{}", roles.err().message);
    return 2;
  }

  infra::metrics_registry metrics;
  add_process_metrics(metrics);

  auto event_log = infra::open_event_log(cfg.eventlog, &metrics);
  if (!event_log) {
    spdlog::critical("cannot open the event log: {}", event_log.err().message);
    return 1;
  }

  caf::actor_system_config caf_cfg;
  caf_cfg.set(
    "scheduler.max-threads",
    cfg.hosting.actor_threads > 0
      ? cfg.hosting.actor_threads
      : std::max<std::size_t>(1, std::thread::hardware_concurrency()));
  caf_cfg.set("scheduler.policy",
              caf::atom_from_string(cfg.hosting.actor_scheduler));
  caf::actor_system actors_system{caf_cfg};
  std::shared_ptr<actors::write_side> write_side;
  if (roles->write) {
    auto store = infra::state_store::open(cfg.hosting.state_path);
    if (!store) {
      spdlog::critical("{}", store.err().message);
      return 1;
    }
    auto hosting = cfg.hosting.write_side;
    hosting.instance_id = moimd::instance_id(cfg);
    write_side = std::make_shared<actors::write_side>(
      actors_system, **event_log,
      std::shared_ptr<infra::state_store>{std::move(*store)}, hosting);
  }

  // The read side: a projection per configured store runs in this process
  // (every node with the role joins each projection's group, which shares
  // out the partitions), and the gateway's queries read the stores.
  auto side_options = cfg.read_side;
  side_options.postgres_url = cfg.postgres.url;
  side_options.redis_url = cfg.redis.url;
  side_options.search_url = cfg.search.url;
  side_options.run = roles->projections;
  side_options.store_timeout
    = std::max(cfg.readiness.timeout, std::chrono::milliseconds{5000});
  auto opened_side = projections::read_side::open(**event_log, side_options);
  if (!opened_side) {
    spdlog::critical("{}", opened_side.err().message);
    return 2;
  }
  std::shared_ptr<projections::read_side> read_side = std::move(*opened_side);
  read_side->add_metrics(metrics);

  boost::asio::thread_pool blocking{2};
  infra::router routes;
  auto checks = moimd::dependency_checks(cfg);
  if (write_side)
    checks.push_back(
      {"hosting", true, true, [write_side](std::chrono::milliseconds) {
         return write_side->ready()
                  ? std::optional<std::string>{}
                  : std::optional<std::string>{"waiting for the write side's "
                                               "partition assignment"};
       }});
  for (auto& check : read_side->checks())
    checks.push_back(std::move(check));
  moimd::add_status_routes(routes, metrics, std::move(checks),
                           cfg.readiness.timeout,
                           [&blocking](std::function<void()> work) {
                             boost::asio::post(blocking, std::move(work));
                           });

  auto secret = cfg.auth.jwt_secret;
  if (secret.empty()) {
    spdlog::warn("auth.jwt_secret is not set: using a random secret, so "
                 "access tokens do not survive a restart");
    secret = infra::random_secret();
  }
  infra::token_issuer tokens{secret, cfg.auth.access_ttl};
  // Refresh tokens in Redis when it is configured (nodes share them and a
  // restart keeps them), else in memory.
  std::shared_ptr<infra::redis_client> session_store;
  if (!cfg.redis.url.empty())
    session_store = std::make_shared<infra::redis_client>(
      cfg.redis.url, cfg.readiness.timeout);
  else
    spdlog::warn("redis.url is not set: refresh tokens are kept in memory, "
                 "so a restart logs everybody out");
  gateway::refresh_sessions sessions{cfg.auth.refresh_ttl, session_store};
  std::optional<gateway::gateway> gw;
  if (roles->gateway) {
    gw.emplace(
      actors_system, write_side, tokens, sessions,
      [&blocking](std::function<void()> work) {
        boost::asio::post(blocking, std::move(work));
      },
      cfg.gateway, read_side);
    gw->add_routes(routes);
    gw->add_metrics(metrics);
  }
  if (write_side) {
    write_side->add_metrics(metrics);
    write_side->start(); // after the gateway subscribed to committed events
  }
  read_side->start();

  auto server_options = cfg.server;
  server_options.websocket = cfg.websocket;
  if (gw) {
    server_options.accept_websocket = gw->websocket();
    server_options.event_stream = infra::event_stream_options{};
    server_options.accept_event_stream = gw->event_stream();
  }
  infra::http_server server{std::move(server_options), std::move(routes)};
  auto port = server.start();
  if (!port) {
    spdlog::critical("{}", port.err().message);
    return 1;
  }
  for (const auto& [name, dep] :
       {std::pair{"kafka", &cfg.eventlog.kafka},
        std::pair{"postgres", &cfg.postgres}, std::pair{"redis", &cfg.redis},
        std::pair{"search", &cfg.search}})
    spdlog::info("{}: {}", name,
                 dep->url.empty() ? std::string{"not configured"} : dep->url);
  spdlog::info("moimd {} listening on http://{}:{} (roles {})", MOIM_VERSION,
               cfg.server.host, *port, cfg.node.roles);
  std::printf("moimd listening on http://%s:%u\n", cfg.server.host.c_str(),
              static_cast<unsigned>(*port));
  std::fflush(stdout);

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}, shutting down",
               sig == SIGINT ? "SIGINT" : "SIGTERM");
  // In reverse order of start: no new connections or requests, the open
  // ones closed; their actors ended; the write side's partitions revoked
  // with final checkpoints; then the actor system (when main returns).
  server.stop();
  spdlog::info("shutdown: HTTP server stopped");
  blocking.join();
  if (gw)
    gw->stop();
  spdlog::info("shutdown: connections ended");
  read_side->stop();
  if (write_side) {
    write_side->stop();
    spdlog::info("shutdown: partitions revoked with final checkpoints");
    write_side.reset();
  }
  spdlog::info("stopped");
  return 0;
}
