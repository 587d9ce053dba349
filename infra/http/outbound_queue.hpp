#pragma once

// The outbound side of a streaming connection (WebSocket, SSE), written
// once for both: a queue bounded in bytes, filled from any thread, drained
// on the connection's strand one write at a time, and never written to
// before the connection is open (handshake or response header done).
// Private to infra/http (Asio and Beast types).

#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>

#include <atomic>
#include <cstddef>
#include <deque>
#include <string>

namespace moim::infra {

/// `Session` (which holds the queue) provides:
///   executor()               its strand
///   shared_from_this()
///   write_front(const std::string&, handler(error_code))  one async write
///   on_overflow()            the bound was hit: close as a slow consumer
///   on_write_error()         a write failed: the peer is gone
template<class Session>
class outbound_queue {
public:
  outbound_queue(Session& owner, std::size_t max_bytes)
    : owner_(owner), max_bytes_(max_bytes) {
    // nop
  }

  outbound_queue(const outbound_queue&) = delete;
  outbound_queue& operator=(const outbound_queue&) = delete;

  /// Any thread. False when closing, or when the bytes queued and not yet
  /// written would pass the bound (on_overflow() has run then).
  bool enqueue(std::string data) {
    if (closing_)
      return false;
    auto size = data.size();
    if (queued_bytes_.fetch_add(size) + size > max_bytes_) {
      queued_bytes_.fetch_sub(size);
      owner_.on_overflow();
      return false;
    }
    boost::asio::post(owner_.executor(),
                      [this, self = owner_.shared_from_this(),
                       data = std::move(data)]() mutable {
                        pending_.push_back(std::move(data));
                        if (open_ && pending_.size() == 1)
                          write_next();
                      });
    return true;
  }

  /// Any thread: later enqueue() calls are refused. True the first time.
  bool start_closing() noexcept {
    return !closing_.exchange(true);
  }

  [[nodiscard]] bool closing() const noexcept {
    return closing_.load();
  }

  /// Strand: the connection is open; what was queued before goes out now.
  void opened() {
    open_ = true;
    if (!pending_.empty())
      write_next();
  }

private:
  void write_next() {
    owner_.write_front(
      pending_.front(),
      [this, self = owner_.shared_from_this()](boost::beast::error_code ec) {
        queued_bytes_.fetch_sub(pending_.front().size());
        pending_.pop_front();
        if (ec) {
          owner_.on_write_error();
          return;
        }
        if (!pending_.empty())
          write_next();
      });
  }

  Session& owner_;
  std::size_t max_bytes_;
  std::deque<std::string> pending_; ///< strand only
  std::atomic<std::size_t> queued_bytes_{0};
  std::atomic<bool> closing_{false};
  bool open_ = false; ///< strand only
};

} // namespace moim::infra
