#include "tools/moim-bench/projection_bench.hpp"

#include "events/catalogue/catalogue.hpp"
#include "events/codec.hpp"
#include "infra/http/client.hpp"
#include "infra/log/embedded/embedded_log.hpp"
#include "infra/log/kafka/kafka_log.hpp"
#include "projections/postgres/postgres_projection.hpp"
#include "projections/redis/redis_projection.hpp"
#include "projections/runner.hpp"
#include "projections/search/search_projection.hpp"
#include "tools/moim-bench/latency.hpp"

#include <pqxx/pqxx>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <thread>

namespace moim::bench {

namespace {

using clock_type = std::chrono::steady_clock;
constexpr int partitions = 12;

double seconds_since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

/// A store under test: makes its projection in a namespace, drops it.
struct store {
  std::string name;
  std::function<std::shared_ptr<projections::projection>(const std::string&)>
    make;
  std::function<void(const std::string&)> drop;
};

std::vector<store> stores_of(const projection_bench_options& o,
                             const std::string& topic) {
  std::vector<store> out;
  if (!o.postgres_url.empty())
    out.push_back(
      {"postgres",
       [&o, topic](const std::string& ns) {
         projections::postgres_projection_options p;
         p.url = o.postgres_url;
         p.name = ns;
         p.schema = ns;
         p.topics = {topic};
         return std::make_shared<projections::postgres_projection>(p);
       },
       [&o](const std::string& ns) {
         try {
           pqxx::connection conn{o.postgres_url};
           pqxx::nontransaction tx{conn};
           tx.exec("DROP SCHEMA IF EXISTS " + conn.quote_name(ns) + " CASCADE");
         } catch (const std::exception& e) {
           std::fprintf(stderr, "dropping %s: %s\n", ns.c_str(), e.what());
         }
       }});
  if (!o.search_url.empty())
    out.push_back({"search",
                   [&o, topic](const std::string& ns) {
                     projections::search_layout l;
                     l.url = o.search_url;
                     l.prefix = ns + "-";
                     l.synonyms = {"meetup, gathering"};
                     l.timeout = std::chrono::seconds{30};
                     return std::make_shared<projections::search_projection>(
                       projections::search_projection_options{l, ns, {topic}});
                   },
                   [&o](const std::string& ns) {
                     static_cast<void>(infra::http_call(
                       "DELETE", o.search_url + "/" + ns + "-*", {},
                       std::chrono::seconds{30}));
                   }});
  if (!o.redis_url.empty())
    out.push_back(
      {"redis",
       [&o, topic](const std::string& ns) {
         return std::make_shared<projections::redis_projection>(
           projections::redis_projection_options{
             o.redis_url, ns, ns + ":", std::chrono::seconds{10}, {topic}});
       },
       [](const std::string&) {
         // the stack's Redis keeps nothing on disk; the keys
         // are under the run's own prefix
       }});
  return out;
}

/// The chat-like log: rooms, spread over the partitions.
struct chat_log {
  std::string topic;
  std::vector<std::string> rooms;
  std::map<std::string, std::uint64_t> aggregate_seq; ///< last, per room
  std::map<std::string, std::uint64_t> message_seq;   ///< last, per room
  std::map<int, std::vector<std::string>> rooms_in;   ///< by partition
  std::map<int, std::unique_ptr<infra::partition_writer>> writers;

  events::event_envelope next(const std::string& room,
                              const events::any_event& e) {
    return events::encode(e, {events::aggregate_id{room},
                              events::aggregate_seq{++aggregate_seq[room]},
                              {},
                              {},
                              {}});
  }
  events::event_envelope message(const std::string& room,
                                 std::mt19937_64& rng) {
    static const char* words[] = {"meetup",  "hiking", "tonight", "coffee",
                                  "station", "ticket", "등산",    "모임"};
    std::string text;
    for (int i = 0; i < 8; ++i)
      text += std::string{words[rng() % 8]} + " ";
    auto seq = ++message_seq[room];
    return next(room, events::room_message_posted{
                        events::room_id{room}, events::message_seq{seq},
                        events::user_id{"u" + std::to_string(rng() % 5000)},
                        text, ""});
  }
};

/// Runs `runners` until each has applied `total` records (or 600 s pass).
bool run_until(
  std::vector<std::unique_ptr<projections::projection_runner>>& runners,
  std::size_t total) {
  auto deadline = clock_type::now() + std::chrono::seconds{600};
  for (;;) {
    bool all = true;
    for (const auto& r : runners)
      all = all && r->status().events >= total;
    if (all)
      return true;
    if (clock_type::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
}

void print_runner(const std::string& label, const projections::runner_status& s,
                  std::size_t total, double seconds) {
  std::printf(
    "  %-22s %9zu events %7.1f s %9.0f events/s  %6llu batches  "
    "last batch %.3f s  failures %llu%s%s\n",
    label.c_str(), total, seconds,
    seconds > 0 ? static_cast<double>(total) / seconds : 0.0,
    static_cast<unsigned long long>(s.batches), s.last_batch_seconds,
    static_cast<unsigned long long>(s.failures),
    s.last_error.empty() ? "" : "  last error: ", s.last_error.c_str());
}

} // namespace

int run_projection_bench(const projection_bench_options& o) {
  auto tag
    = "bench_"
      + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count());
  chat_log chat;
  chat.topic = "moim.bench." + tag + ".rooms";
  std::unique_ptr<infra::event_log> log;
  std::string dir;
  if (o.log == "kafka") {
    infra::kafka_log_options k;
    k.brokers = o.brokers;
    k.topics = {{chat.topic, partitions}};
    k.replication_factor = 1;
    k.transactional_id_prefix = tag;
    auto opened = infra::kafka_log::open(k);
    if (!opened) {
      std::fprintf(stderr, "kafka: %s\n", opened.err().message.c_str());
      return 1;
    }
    log = std::move(*opened);
  } else {
    dir = (std::filesystem::temp_directory_path() / tag).string();
    auto opened
      = infra::embedded_log::open({dir, {{chat.topic, partitions}}, {}});
    if (!opened) {
      std::fprintf(stderr, "embedded: %s\n", opened.err().message.c_str());
      return 1;
    }
    log = std::move(*opened);
  }
  auto stores = stores_of(o, chat.topic);
  if (stores.empty()) {
    std::fprintf(stderr, "no store configured: set MOIM_POSTGRES_URL, "
                         "MOIM_REDIS_URL or MOIM_SEARCH_URL (./dev stack env), "
                         "or --postgres/--redis/--search\n");
    return 2;
  }

  // The log: each room created and joined by five, then messages.
  std::mt19937_64 rng{42};
  std::map<int, std::vector<events::event_envelope>> pending;
  for (std::size_t r = 0; r < o.rooms; ++r) {
    auto room = "r-" + tag + "-" + std::to_string(r);
    chat.rooms.push_back(room);
    auto p = log->partition_of(chat.topic, events::aggregate_id{room}).value();
    chat.rooms_in[p].push_back(room);
    pending[p].push_back(
      chat.next(room, events::room_created{events::room_id{room},
                                           "Room " + std::to_string(r),
                                           "a bench room",
                                           {"bench"},
                                           events::user_id{"u0"},
                                           100,
                                           true,
                                           false}));
    for (int j = 1; j <= 5; ++j)
      pending[p].push_back(chat.next(
        room,
        events::room_member_joined{events::room_id{room},
                                   events::user_id{"u" + std::to_string(j)}}));
  }
  std::size_t total = o.rooms * 6;
  while (total < o.events) {
    const auto& room = chat.rooms[rng() % chat.rooms.size()];
    auto p = log->partition_of(chat.topic, events::aggregate_id{room}).value();
    pending[p].push_back(chat.message(room, rng));
    ++total;
  }
  auto started = clock_type::now();
  for (auto& [p, list] : pending) {
    auto opened = log->open_writer({chat.topic, events::partition_id{p}});
    if (!opened) {
      std::fprintf(stderr, "writer: %s\n", opened.err().message.c_str());
      return 1;
    }
    auto& writer = chat.writers[p] = std::move(*opened);
    for (std::size_t i = 0; i < list.size(); i += 1000) {
      std::vector<events::event_envelope> batch(
        list.begin() + static_cast<std::ptrdiff_t>(i),
        list.begin()
          + static_cast<std::ptrdiff_t>(std::min(i + 1000, list.size())));
      if (auto r = writer->append_sync(std::move(batch)); !r) {
        std::fprintf(stderr, "append: %s\n", r.err().message.c_str());
        return 1;
      }
    }
  }
  pending.clear();
  std::printf("moim-bench projections: %s log, %zu events (%zu rooms, %d "
              "partitions) written in %.1f s\n",
              o.log.c_str(), total, o.rooms, partitions,
              seconds_since(started));

  projections::runner_options run;
  run.max_batch = 5000;
  run.linger = std::chrono::milliseconds{20};
  std::vector<std::string> made;
  // 1. Each alone, from the start.
  std::printf("\n1. each projection alone, rebuilding from the start:\n");
  for (const auto& s : stores) {
    auto ns = tag + "_" + s.name + "_alone";
    made.push_back(ns);
    std::vector<std::unique_ptr<projections::projection_runner>> one;
    one.push_back(
      std::make_unique<projections::projection_runner>(*log, s.make(ns), run));
    auto t = clock_type::now();
    one.front()->start();
    bool done = run_until(one, total);
    auto secs = seconds_since(t);
    print_runner(s.name + (done ? "" : " (unfinished)"), one.front()->status(),
                 one.front()->status().events, secs);
    one.front()->stop();
    s.drop(ns);
  }

  // 2. All at once.
  std::printf("\n2. all read models rebuilt at once:\n");
  std::vector<std::unique_ptr<projections::projection_runner>> all;
  std::vector<std::string> all_ns;
  for (const auto& s : stores) {
    all_ns.push_back(tag + "_" + s.name + "_all");
    all.push_back(std::make_unique<projections::projection_runner>(
      *log, s.make(all_ns.back()), run));
  }
  auto t = clock_type::now();
  for (auto& r : all)
    r->start();
  bool done = run_until(all, total);
  auto secs = seconds_since(t);
  for (std::size_t i = 0; i < all.size(); ++i)
    print_runner(stores[i].name, all[i]->status(), all[i]->status().events,
                 secs);
  std::printf("  %-22s %9zu events %7.1f s%s\n", "all", total, secs,
              done ? "" : " (unfinished)");

  // 3. Lag from commit to visible, with events appended at lag_rate.
  if (o.lag_rate > 0 && o.lag_seconds > 0) {
    std::printf("\n3. commit to visible, %.0f events/s appended for %d s "
                "(batches every 20 ms, one partition each):\n",
                o.lag_rate, o.lag_seconds);
    struct sample {
      infra::topic_partition where;
      events::log_offset offset;
      clock_type::time_point acked;
    };
    std::mutex mtx;
    std::vector<sample> samples;
    std::atomic<bool> writing{true};
    std::thread writer{[&] {
      auto per_tick
        = std::max<std::size_t>(1, static_cast<std::size_t>(o.lag_rate / 50));
      auto next = clock_type::now();
      auto end = next + std::chrono::seconds{o.lag_seconds};
      int tick = 0;
      while (clock_type::now() < end) {
        next += std::chrono::milliseconds{20};
        auto it = chat.rooms_in.begin();
        std::advance(it, tick++ % static_cast<int>(chat.rooms_in.size()));
        std::vector<events::event_envelope> batch;
        for (std::size_t i = 0; i < per_tick; ++i)
          batch.push_back(
            chat.message(it->second[rng() % it->second.size()], rng));
        auto r = chat.writers[it->first]->append_sync(std::move(batch));
        auto now = clock_type::now();
        if (r && !r->empty()) {
          std::lock_guard<std::mutex> guard{mtx};
          samples.push_back(
            {{chat.topic, r->back().partition}, r->back().offset, now});
        }
        std::this_thread::sleep_until(next);
      }
      writing = false;
    }};
    std::vector<latency_recorder> lags(all.size());
    std::vector<std::thread> watchers;
    for (std::size_t i = 0; i < all.size(); ++i)
      watchers.emplace_back([&, i] {
        std::size_t seen = 0;
        for (;;) {
          std::optional<sample> s;
          {
            std::lock_guard<std::mutex> guard{mtx};
            if (seen < samples.size())
              s = samples[seen++];
          }
          if (!s) {
            if (!writing)
              return;
            std::this_thread::sleep_for(std::chrono::milliseconds{1});
            continue;
          }
          if (all[i]->wait_for(s->where, s->offset, std::chrono::seconds{30}))
            lags[i].add(clock_type::now() - s->acked);
        }
      });
    writer.join();
    for (auto& w : watchers)
      w.join();
    for (std::size_t i = 0; i < all.size(); ++i)
      std::printf("  %-10s %6zu batches seen  %s\n", stores[i].name.c_str(),
                  lags[i].count(), lags[i].summary().c_str());
  }
  for (auto& r : all)
    r->stop();
  for (std::size_t i = 0; i < stores.size(); ++i)
    stores[i].drop(all_ns[i]);
  chat.writers.clear();
  log.reset();
  if (!dir.empty())
    std::filesystem::remove_all(dir);
  return 0;
}

} // namespace moim::bench
