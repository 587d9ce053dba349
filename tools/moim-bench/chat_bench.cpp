#include "tools/moim-bench/chat_bench.hpp"

#include "tools/moim-bench/broker_ceiling.hpp"
#include "tools/moim-bench/chat_client.hpp"
#include "tools/moim-bench/cpu_usage.hpp"
#include "tools/moim-bench/server_histograms.hpp"

#include "events/ids.hpp"
#include "infra/http/client.hpp"

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdio>
#include <optional>
#include <set>
#include <thread>

namespace moim::bench {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

struct endpoint {
  std::string base; ///< http://host:port
  std::string host;
  std::string port;
};

std::optional<endpoint> parse_server(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0)
    return std::nullopt;
  auto rest = url.substr(scheme.size());
  rest = rest.substr(0, rest.find('/'));
  auto colon = rest.find(':');
  if (colon == std::string::npos)
    return endpoint{scheme + rest, rest, "80"};
  return endpoint{scheme + rest, rest.substr(0, colon), rest.substr(colon + 1)};
}

/// A JSON call that must answer one of `ok`; its body, or nothing (said).
std::optional<json> call(const endpoint& server, const std::string& method,
                         const std::string& path, const json& body,
                         const std::string& token, std::vector<int> ok) {
  std::vector<std::pair<std::string, std::string>> headers{
    {"Content-Type", "application/json"}};
  if (!token.empty())
    headers.emplace_back("Authorization", "Bearer " + token);
  auto r = infra::http_call_with_headers(method, server.base + path,
                                         body.dump(), headers, 60s);
  if (!r) {
    std::fprintf(stderr, "%s %s: %s\n", method.c_str(), path.c_str(),
                 r.err().message.c_str());
    return std::nullopt;
  }
  for (int status : ok)
    if (r->status == status)
      return json::parse(r->body, nullptr, false);
  std::fprintf(stderr, "%s %s: %d %s\n", method.c_str(), path.c_str(),
               r->status, r->body.c_str());
  return std::nullopt;
}

/// Signs up and logs in `count` users, 8 at a time; their access tokens.
std::optional<std::vector<std::string>> sign_in(const endpoint& server,
                                                int count) {
  std::vector<std::string> tokens(static_cast<std::size_t>(count));
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  auto stem = "bench-" + events::new_event_id().value().substr(24);
  auto work = [&] {
    for (int i = next++; i < count && !failed; i = next++) {
      auto name = stem + "-" + std::to_string(i);
      const std::string password = "bench password";
      auto ok = call(
        server, "POST", "/v1/users",
        {{"username", name}, {"password", password}, {"display_name", name}},
        "", {201});
      auto session
        = ok ? call(server, "POST", "/v1/sessions",
                    {{"username", name}, {"password", password}}, "", {200})
             : std::nullopt;
      if (!session) {
        failed = true;
        return;
      }
      tokens[static_cast<std::size_t>(i)]
        = (*session)["access_token"].get<std::string>();
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back(work);
  for (auto& t : threads)
    t.join();
  if (failed)
    return std::nullopt;
  return tokens;
}

/// moimd's /metrics text, or "" when it did not answer.
std::string metrics_text(const endpoint& server) {
  auto r = infra::http_call("GET", server.base + "/metrics", {}, 10s);
  return r ? r->body : std::string{};
}

/// Gauge `name` in a /metrics text, or -1.
double gauge_in(const std::string& metrics, const std::string& name) {
  auto at = metrics.find("\n" + name + " ");
  if (at == std::string::npos)
    return -1;
  return std::strtod(metrics.c_str() + at + name.size() + 2, nullptr);
}

/// moimd's gauge `name` from /metrics, or -1.
double gauge(const endpoint& server, const std::string& name) {
  return gauge_in(metrics_text(server), name);
}

/// Runs the I/O thread's work until `done()` or `limit` passes.
template<class Done>
bool run_until(boost::asio::io_context& ioc, Done done,
               std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline)
    ioc.run_for(50ms);
  return done();
}

void report(const chat_bench_options& o, chat_stats& s, double rss_before,
            double rss_after, double held, const std::string& cpu,
            const std::string& commits) {
  auto per_second = [&o](std::size_t n) {
    return static_cast<double>(n) / o.seconds;
  };
  std::printf("moim-bench chat: %d clients (%d users) in %d rooms, %.0f "
              "msg/s offered, %zu-byte texts, %d s measured after %d s\n",
              o.clients, o.users, o.rooms, o.rate, o.size, o.seconds, o.warmup);
  if (held >= 0)
    std::printf("  connections held   %.0f at the end (%zu closed by the "
                "server)\n",
                held, s.closed);
  else
    std::printf("  connections held   unknown (/metrics did not answer); %zu "
                "closed by the server\n",
                s.closed);
  for (const auto& [status, n] : s.refused)
    std::printf("  refused upgrades   HTTP %d: %zu%s\n", status, n,
                status == 429 ? " (raise server.max_connections_per_ip)" : "");
  if (rss_before > 0 && rss_after > rss_before)
    std::printf("  moimd memory       RSS %.1f -> %.1f MiB with %zu "
                "connections: %.1f KiB per connection\n",
                rss_before / 1048576.0, rss_after / 1048576.0, s.connected,
                (rss_after - rss_before) / 1024.0
                  / static_cast<double>(std::max<std::size_t>(1, s.connected)));
  else if (rss_before > 0)
    std::printf("  moimd memory       RSS %.1f MiB, no growth: memory of "
                "earlier connections was reused (measure on a fresh moimd)\n",
                rss_after / 1048576.0);
  std::printf("  durable messages   %.0f/s (acked after the log commit); "
              "ack %s\n",
              per_second(s.acked), s.ack_latency.summary().c_str());
  std::printf("  deliveries         %.0f/s; delivery %s\n",
              per_second(s.delivered), s.delivery_latency.summary().c_str());
  std::printf("  CPU while measured %s\n", cpu.c_str());
  if (!commits.empty())
    std::printf("  group commits      %s\n", commits.c_str());
  std::printf("  sent %zu, acked %zu in all\n", s.sent, s.acked_total);
  for (const auto& [code, n] : s.errors)
    std::printf("  error frames       %s: %zu\n", code.c_str(), n);
  for (const auto& [code, n] : s.close_codes)
    std::printf("  closed with        %d: %zu\n", code, n);
}

/// The broker's ceiling, measured now (moimd idle), and the durable rate
/// as a share of it.
void report_ceiling(const chat_bench_options& o, double durable) {
  ceiling_options c;
  c.brokers = o.brokers;
  c.records = o.ceiling_records;
  c.size = o.size;
  auto ceiling = measure_broker_ceiling(c);
  if (!ceiling.error.empty()) {
    std::printf("  broker ceiling     not measured: %s\n",
                ceiling.error.c_str());
    return;
  }
  std::printf("  broker ceiling     %.0f records/s idempotent, %.0f "
              "transactional (1,000 per txn), one raw producer\n"
              "  durable / ceiling  %.1f %% of idempotent, %.1f %% of "
              "transactional\n",
              ceiling.idempotent, ceiling.transactional,
              100 * durable / ceiling.idempotent,
              100 * durable / ceiling.transactional);
}

} // namespace

int run_chat_bench(const chat_bench_options& o) {
  auto server = parse_server(o.server);
  if (!server) {
    std::fprintf(stderr, "--server must be http://host:port\n");
    return 2;
  }
  std::printf("signing in %d users...\n", o.users);
  std::fflush(stdout);
  auto tokens = sign_in(*server, o.users);
  if (!tokens)
    return 1;
  std::vector<std::string> rooms;
  for (int r = 0; r < o.rooms; ++r) {
    auto made = call(
      *server, "POST", "/v1/rooms",
      {{"name", "bench " + std::to_string(r)}, {"member_limit", o.users + 1}},
      tokens->front(), {201});
    if (!made)
      return 1;
    rooms.push_back((*made)["room"].get<std::string>());
  }
  // Each user joins the rooms its connections use (409: already there).
  std::set<std::pair<int, int>> joined;
  for (int i = 0; i < o.clients; ++i) {
    auto pair = std::pair{i % o.users, i % o.rooms};
    if (joined.insert(pair).second
        && !call(*server, "POST",
                 "/v1/rooms/" + rooms[static_cast<std::size_t>(pair.second)]
                   + "/join",
                 json::object(),
                 (*tokens)[static_cast<std::size_t>(pair.first)], {200, 409}))
      return 1;
  }

  auto rss_before = gauge(*server, "process_resident_memory_bytes");
  boost::asio::io_context ioc;
  chat_stats stats;
  std::vector<std::shared_ptr<chat_client>> clients;
  for (int i = 0; i < o.clients; ++i) {
    clients.push_back(std::make_shared<chat_client>(
      ioc, stats, i, rooms[static_cast<std::size_t>(i % o.rooms)],
      (*tokens)[static_cast<std::size_t>(i % o.users)]));
    clients.back()->start(server->host, server->port);
    if (i % 100 == 99) // let the server's accept queue breathe
      ioc.run_for(10ms);
  }
  auto total = static_cast<std::size_t>(o.clients);
  if (!run_until(
        ioc,
        [&] {
          std::size_t refused = 0;
          for (const auto& [status, n] : stats.refused)
            refused += n;
          return stats.subscribed + stats.closed + refused >= total;
        },
        120s))
    std::fprintf(stderr, "only %zu of %zu clients subscribed in time\n",
                 stats.subscribed, total);
  run_until(
    ioc,
    [] {
      return false;
    },
    1s); // settle
  auto rss_after = gauge(*server, "process_resident_memory_bytes");

  // Offer `rate` messages/s, round-robin over the clients, on a 5 ms tick.
  auto started = std::chrono::steady_clock::now();
  auto measure_from = started + std::chrono::seconds{o.warmup};
  auto measure_to = measure_from + std::chrono::seconds{o.seconds};
  std::size_t offered = 0;
  std::size_t next_client = 0;
  boost::asio::steady_timer tick{ioc};
  std::function<void()> pace = [&] {
    auto now = std::chrono::steady_clock::now();
    stats.measuring = now >= measure_from && now < measure_to;
    if (now >= measure_to)
      return;
    auto due = static_cast<std::size_t>(
      o.rate * std::chrono::duration<double>(now - started).count());
    for (; offered < due; ++offered) {
      clients[next_client]->post(o.size);
      next_client = (next_client + 1) % clients.size();
    }
    tick.expires_after(5ms);
    tick.async_wait([&](boost::system::error_code) {
      pace();
    });
  };
  // CPU over the measured seconds, sampled beside the I/O thread (reading
  // /metrics must not hold the clients up).
  // The log's group commits over the same seconds, from moimd's histograms.
  std::string cpu = "not measured";
  std::string commits;
  std::thread cpu_watch{
    [&server, &cpu, &commits, &o, measure_from, measure_to] {
      std::this_thread::sleep_until(measure_from);
      auto before = metrics_text(*server);
      auto from = sample_cpu(gauge_in(before, "process_cpu_seconds_total"));
      std::this_thread::sleep_until(measure_to);
      auto after = metrics_text(*server);
      auto to = sample_cpu(gauge_in(after, "process_cpu_seconds_total"));
      cpu = cpu_between(from, to);
      commits = group_commit_summary(before, after, o.seconds);
    }};
  pace();
  run_until(
    ioc,
    [&] {
      return std::chrono::steady_clock::now() >= measure_to + 2s;
    },
    std::chrono::seconds{o.warmup + o.seconds + 10});
  cpu_watch.join();
  auto held = gauge(*server, "moim_websocket_connections");
  report(o, stats, rss_before, rss_after, held, cpu, commits);
  for (auto& c : clients)
    c->close();
  run_until(
    ioc,
    [] {
      return false;
    },
    2s);
  if (!o.brokers.empty() && o.ceiling_records > 0)
    report_ceiling(o, static_cast<double>(stats.acked) / o.seconds);
  return 0;
}

} // namespace moim::bench
