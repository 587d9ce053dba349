#pragma once

#include "tools/moim-bench/latency.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace moim::bench {

/// What all chat clients of a run count. Touched on the one I/O thread.
struct chat_stats {
  bool measuring = false; ///< count acks and deliveries (after warm-up)
  std::size_t connected = 0;
  std::size_t subscribed = 0;
  std::size_t sent = 0;
  std::size_t acked = 0;     ///< while measuring
  std::size_t delivered = 0; ///< message events received, while measuring
  std::size_t acked_total = 0;
  std::size_t closed = 0;
  std::map<std::string, std::size_t> errors; ///< by error code
  std::map<int, std::size_t> close_codes;    ///< by close code
  /// Upgrades the server answered with an HTTP status instead of 101 (429:
  /// server.max_connections_per_ip), by status.
  std::map<int, std::size_t> refused;
  latency_recorder ack_latency;      ///< send -> ack
  latency_recorder delivery_latency; ///< send -> event received
};

/// One WebSocket client of `moim-bench chat` (Boost.Beast, async, on the
/// bench's single I/O thread): connects with ?token=, subscribes to its
/// room, posts on demand, and reads frames without parsing whole JSON
/// (substring scans keep the bench's own cost low).
class chat_client : public std::enable_shared_from_this<chat_client> {
public:
  chat_client(boost::asio::io_context& ioc, chat_stats& stats, int id,
              std::string room, std::string token);
  ~chat_client();

  chat_client(const chat_client&) = delete;
  chat_client& operator=(const chat_client&) = delete;

  void start(const std::string& host, const std::string& port);

  /// Posts one message of `bytes` bytes stamped with the send time.
  void post(std::size_t bytes);

  [[nodiscard]] bool ready() const noexcept;

  void close();

  struct impl;

private:
  std::unique_ptr<impl> impl_;
};

/// Monotonic nanoseconds (CLOCK_MONOTONIC: one clock for every process on
/// the machine, so the bench's stamps and receive times compare).
[[nodiscard]] std::int64_t now_ns();

} // namespace moim::bench
