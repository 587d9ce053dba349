#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

namespace moim::projections {

struct presence_options {
  /// An entry not refreshed for this long counts as offline: what a node
  /// that died leaves behind goes by itself. Live entries are refreshed
  /// every third of it.
  std::chrono::milliseconds ttl{30000};
  /// Changes are written at most this late, batched.
  std::chrono::milliseconds flush{250};
};

/// Who is online in each room, kept in Redis so every node sees every
/// node's users (`<p>presence:<room>`, a ZSET of "<user>@<node>" -> the
/// time it expires, Unix ms; redis/keys.hpp). The gateway tells it of
/// each room subscription that starts and ends (cheap: a map under a
/// mutex); a thread of its own writes the changes in one pipeline per
/// flush and refreshes the live entries. A Redis outage delays the
/// changes, which are written once it is back. Bounded: it holds this
/// node's live (room, user) pairs and the changes not yet written.
class redis_presence {
public:
  redis_presence(std::string url, std::string prefix,
                 presence_options options = {});

  /// Stops the thread and removes this node's entries.
  ~redis_presence();

  redis_presence(const redis_presence&) = delete;
  redis_presence& operator=(const redis_presence&) = delete;

  void start();

  /// Removes this node's entries and ends the thread (for good).
  void stop();

  /// `user` has one more (or one fewer) subscription to `room` here.
  void online(const std::string& room, const std::string& user);
  void offline(const std::string& room, const std::string& user);

  /// This node's part of each entry ("<user>@<node>").
  [[nodiscard]] const std::string& node() const noexcept {
    return node_;
  }

private:
  using pair = std::pair<std::string, std::string>; ///< room, user

  void run();

  std::string url_;
  std::string prefix_;
  presence_options options_;
  std::string node_;
  std::mutex mtx_;
  std::condition_variable wake_;
  std::map<pair, int> live_; ///< subscriptions per (room, user) here
  std::set<pair> added_;     ///< live, not yet written
  std::set<pair> removed_;   ///< gone, not yet removed from Redis
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace moim::projections
