#pragma once

#include "events/vassert.hpp"

#include <cstdint>
#include <list>
#include <string>
#include <utility>

namespace moim::gateway {

/// Keys of entries nobody watches (rooms without subscribers, inboxes
/// without listeners), longest idle first, each with the sweep it became
/// idle at: expiring them, or evicting the longest idle, costs O(what goes),
/// not O(entries). The entry keeps its `mark`.
class idle_order {
public:
  struct mark {
    bool idle = false;
    std::list<std::pair<std::string, std::uint64_t>>::iterator pos;
  };

  /// `key` has just lost its last watcher.
  void idle(const std::string& key, mark& m) {
    MOIM_VASSERT(!m.idle, "%s marked idle twice", key.c_str());
    m.idle = true;
    m.pos = keys_.insert(keys_.end(), {key, sweeps_});
  }

  /// Watched again, or about to be erased.
  void busy(mark& m) {
    if (!m.idle)
      return;
    keys_.erase(m.pos);
    m.idle = false;
  }

  /// Counts a sweep.
  void tick() {
    ++sweeps_;
  }

  /// The key idle longest if it has been idle for at least `sweeps`
  /// sweeps, else nullptr. Call until nullptr, erasing each.
  [[nodiscard]] const std::string* expired(std::uint64_t sweeps) const {
    if (keys_.empty() || sweeps_ - keys_.front().second < sweeps)
      return nullptr;
    return &keys_.front().first;
  }

  /// The key idle longest other than `keep`, or nullptr.
  [[nodiscard]] const std::string*
  oldest_except(const std::string& keep) const {
    for (const auto& [key, since] : keys_) // the first or the second
      if (key != keep)
        return &key;
    return nullptr;
  }

private:
  std::list<std::pair<std::string, std::uint64_t>> keys_;
  std::uint64_t sweeps_ = 0;
};

} // namespace moim::gateway
