#include "projections/redis/presence.hpp"

#include "events/ids.hpp"
#include "infra/redis/redis_client.hpp"
#include "projections/redis/keys.hpp"

#include <spdlog/spdlog.h>

#include <vector>

namespace moim::projections {

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

} // namespace

redis_presence::redis_presence(std::string url, std::string prefix,
                               presence_options options)
  : url_(std::move(url)), prefix_(std::move(prefix)), options_(options),
    node_(events::new_event_id().value()) {
  // nop
}

redis_presence::~redis_presence() {
  stop();
}

void redis_presence::start() {
  std::lock_guard<std::mutex> guard{mtx_};
  if (!thread_.joinable() && !stopping_)
    thread_ = std::thread([this] {
      run();
    });
}

void redis_presence::stop() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void redis_presence::online(const std::string& room, const std::string& user) {
  std::lock_guard<std::mutex> guard{mtx_};
  pair key{room, user};
  if (live_[key]++ == 0) {
    removed_.erase(key);
    added_.insert(std::move(key));
  }
}

void redis_presence::offline(const std::string& room, const std::string& user) {
  std::lock_guard<std::mutex> guard{mtx_};
  pair key{room, user};
  auto found = live_.find(key);
  if (found == live_.end())
    return;
  if (--found->second > 0)
    return;
  live_.erase(found);
  added_.erase(key);
  removed_.insert(std::move(key));
}

void redis_presence::run() {
  infra::redis_client redis{url_, std::chrono::milliseconds{2000}};
  const auto refresh_every = options_.ttl / 3;
  auto next_refresh = std::chrono::steady_clock::now();
  bool failing = false;
  for (;;) {
    std::set<pair> add;
    std::set<pair> gone;
    bool last = false;
    bool refresh = false;
    {
      std::unique_lock<std::mutex> guard{mtx_};
      wake_.wait_for(guard, options_.flush, [this] {
        return stopping_;
      });
      last = stopping_;
      if (last) {
        // Leaving: every entry of this node goes.
        for (const auto& [key, count] : live_)
          gone.insert(key);
        gone.insert(removed_.begin(), removed_.end());
      } else if (std::chrono::steady_clock::now() >= next_refresh) {
        refresh = true;
        for (const auto& [key, count] : live_)
          add.insert(key);
        gone = removed_;
      } else {
        add = added_;
        gone = removed_;
      }
    }
    if (add.empty() && gone.empty()) {
      if (last)
        return;
      continue;
    }
    auto expires = std::to_string(now_ms() + options_.ttl.count());
    auto keep_key = std::to_string(2 * options_.ttl.count());
    std::vector<std::vector<std::string>> commands;
    std::set<std::string> rooms;
    for (const auto& [room, user] : add) {
      commands.push_back({"ZADD", redis_keys::presence(prefix_, room), expires,
                          user + "@" + node_});
      rooms.insert(room);
    }
    for (const auto& [room, user] : gone) {
      commands.push_back(
        {"ZREM", redis_keys::presence(prefix_, room), user + "@" + node_});
      rooms.insert(room);
    }
    // Entries other nodes left expired go, and a room nobody is in any
    // more loses its key after a while.
    for (const auto& room : rooms) {
      auto key = redis_keys::presence(prefix_, room);
      commands.push_back(
        {"ZREMRANGEBYSCORE", key, "-inf", std::to_string(now_ms())});
      commands.push_back({"PEXPIRE", key, keep_key});
    }
    auto written = redis.pipeline(commands, true); // each safe to repeat
    if (!written) {
      if (!failing)
        spdlog::warn("presence: {}; retrying", written.err().message);
      failing = true;
      if (last)
        return; // the entries expire by themselves
      continue;
    }
    if (failing)
      spdlog::info("presence: written again");
    failing = false;
    if (last)
      return;
    std::lock_guard<std::mutex> guard{mtx_};
    for (const auto& key : add)
      if (live_.count(key) != 0)
        added_.erase(key);
    for (const auto& key : gone)
      if (live_.count(key) == 0)
        removed_.erase(key);
    if (refresh)
      next_refresh = std::chrono::steady_clock::now() + refresh_every;
  }
}

} // namespace moim::projections
