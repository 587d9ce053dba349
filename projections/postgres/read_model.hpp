#pragma once

#include "infra/error.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace moim::projections {

/// One message of a room's history.
struct message_row {
  std::uint64_t seq = 0;
  std::string author;
  std::string text; ///< "" once deleted
  std::string client_message_id;
  std::int64_t posted_at_ms = 0;
  std::int64_t edited_at_ms = 0; ///< 0: never edited
  bool deleted = false;
};

/// A page of a room's history: before a sequence number (newest first; no
/// bound: the newest), or after one (oldest first, for catching up).
struct history_page {
  std::string room;
  std::optional<std::uint64_t> before;
  std::optional<std::uint64_t> after;
  std::size_t limit = 50;
};

/// One stored notification.
struct notification_row {
  std::string id; ///< the id of the event behind it (UUIDv7: grows)
  std::string kind;
  std::string frame; ///< the JSON frame, as pushed
  bool read = false;
};

/// A page of a user's notifications, newest first, and how many are unread
/// (counted up to `unread_cap`, so that the count costs the same for a user
/// who never reads).
struct notification_page {
  std::vector<notification_row> items;
  std::size_t unread = 0;
  static constexpr std::size_t unread_cap = 100;
};

/// A count over time: the start of its step (Unix ms) and the count.
struct count_at {
  std::int64_t at_ms = 0;
  std::int64_t count = 0;
};

/// Queries on the Postgres read model, each a keyset scan on an index (so
/// a page costs the same in a room's first week and its tenth year).
/// Thread-safe: a few connections, each used by one query at a time.
/// Blocking: call it off the I/O threads and the actor scheduler.
class postgres_read_model {
public:
  postgres_read_model(std::string url, std::chrono::milliseconds timeout,
                      std::size_t connections = 2);
  ~postgres_read_model();

  postgres_read_model(const postgres_read_model&) = delete;
  postgres_read_model& operator=(const postgres_read_model&) = delete;

  [[nodiscard]] infra::result<std::vector<message_row>>
  history(const history_page& page);

  /// The frames of `room`'s events after `after` up to `through`, oldest
  /// first, as they were sent live; they stop before the first event the
  /// projection has not applied yet (so fewer than asked: look again
  /// later). The caller bounds the span.
  [[nodiscard]] infra::result<std::vector<std::string>>
  room_frames(const std::string& room, std::uint64_t after,
              std::uint64_t through);

  /// Messages posted in `room` per `step` ("minute", "hour" or "day") in
  /// [from_ms, to_ms), steps without any left out.
  [[nodiscard]] infra::result<std::vector<count_at>>
  messages_over_time(const std::string& room, std::int64_t from_ms,
                     std::int64_t to_ms, const std::string& step);

  /// Users who signed up per day (UTC), the last `days` days.
  [[nodiscard]] infra::result<std::vector<count_at>> new_users(int days);

  /// `user`'s notifications older than `before` (empty: the newest).
  [[nodiscard]] infra::result<notification_page>
  notifications(const std::string& user, const std::string& before,
                std::size_t limit);

  /// `user`'s notifications after `after`, oldest first (resumption); when
  /// `after` is not one of theirs, nothing and false.
  [[nodiscard]] infra::result<std::pair<bool, std::vector<notification_row>>>
  notifications_after(const std::string& user, const std::string& after,
                      std::size_t limit);

private:
  class lease;
  struct session;
  std::string url_;
  std::chrono::milliseconds timeout_;
  std::size_t max_;
  std::mutex mtx_;
  std::vector<std::unique_ptr<session>> idle_;
};

} // namespace moim::projections
