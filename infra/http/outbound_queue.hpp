#pragma once

// The outbound side of a streaming connection (WebSocket, SSE), written
// once for both: a queue of shared frames bounded in bytes, filled from
// any thread, drained on the connection's thread one write at a time, and
// never written to before the connection is open (handshake or response
// header done). Frames that queue up while a write is in flight go out
// together in the next write, joined by the session's separator: one
// system call for many frames when a client's connection is busy. Private
// to infra/http (Asio and Beast types).

#include "infra/http/shared_frame.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace moim::infra {

/// `Session` (which holds the queue) provides:
///   executor()               its thread's loop
///   shared_from_this()
///   separator()              what joins frames written together
///   write_front(const std::string&, handler(error_code))  one async write
///   on_overflow()            the bound was hit: close as a slow consumer
///   on_write_error()         a write failed: the peer is gone
template<class Session>
class outbound_queue {
public:
  /// At most this many bytes of queued frames are joined into one write.
  static constexpr std::size_t max_joined_bytes = std::size_t{64} << 10;
  /// A join buffer larger than this is let go after its write: a burst
  /// does not leave every connection holding its peak.
  static constexpr std::size_t kept_joined_bytes = std::size_t{4} << 10;
  /// Likewise for the queue's own array, once it is empty.
  static constexpr std::size_t kept_frames = 64;

  outbound_queue(Session& owner, std::size_t max_bytes)
    : owner_(owner), max_bytes_(max_bytes) {
    // nop
  }

  outbound_queue(const outbound_queue&) = delete;
  outbound_queue& operator=(const outbound_queue&) = delete;

  /// Any thread. False when closing, or when the bytes queued and not yet
  /// written would pass the bound (on_overflow() has run then).
  bool enqueue(shared_frame data) {
    if (!admit(data->size()))
      return false;
    boost::asio::post(owner_.executor(),
                      [this, self = owner_.shared_from_this(),
                       data = std::move(data)]() mutable {
                        push(std::move(data));
                      });
    return true;
  }

  /// Any thread: counts `size` bytes in, to be push()ed on the
  /// connection's thread next. False when closing or over the bound
  /// (on_overflow() has run then); nothing is counted then.
  bool admit(std::size_t size) {
    if (closing_)
      return false;
    if (queued_bytes_.fetch_add(size) + size > max_bytes_) {
      queued_bytes_.fetch_sub(size);
      owner_.on_overflow();
      return false;
    }
    return true;
  }

  /// The connection's thread: queues a frame admit()ted before.
  void push(shared_frame data) {
    pending_.push_back(std::move(data));
    if (open_ && in_flight_ == 0)
      write_next();
  }

  bool enqueue(std::string data) {
    return enqueue(make_frame(std::move(data)));
  }

  /// Any thread: later enqueue() calls are refused. True the first time.
  bool start_closing() noexcept {
    return !closing_.exchange(true);
  }

  [[nodiscard]] bool closing() const noexcept {
    return closing_.load();
  }

  /// Its thread: the connection is open; what was queued before goes out now.
  void opened() {
    open_ = true;
    if (!pending_.empty() && in_flight_ == 0)
      write_next();
  }

private:
  /// Its thread: writes the front frame, or the frames queued behind it
  /// joined into one buffer.
  void write_next() {
    std::size_t bytes = pending_.front()->size();
    in_flight_ = 1;
    if (pending_.size() > 1 && bytes < max_joined_bytes) {
      joined_.clear();
      joined_ += *pending_.front();
      const auto& sep = owner_.separator();
      while (in_flight_ < pending_.size()) {
        const auto& next = *pending_[in_flight_];
        if (joined_.size() + sep.size() + next.size() > max_joined_bytes)
          break;
        joined_ += sep;
        joined_ += next;
        bytes += next.size();
        ++in_flight_;
      }
    }
    const std::string& out = in_flight_ > 1 ? joined_ : *pending_.front();
    owner_.write_front(out, [this, self = owner_.shared_from_this(),
                             bytes](boost::beast::error_code ec) {
      queued_bytes_.fetch_sub(bytes);
      pending_.erase(pending_.begin(),
                     pending_.begin()
                       + static_cast<std::ptrdiff_t>(in_flight_));
      in_flight_ = 0;
      if (joined_.capacity() > kept_joined_bytes)
        std::string{}.swap(joined_);
      if (pending_.empty() && pending_.capacity() > kept_frames)
        pending_.shrink_to_fit();
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
  /// Its thread only. A vector, not a deque: an idle connection holds no
  /// block for it (a deque allocates ~600 bytes empty); erasing written
  /// frames from the front moves at most the bound's worth of pointers.
  std::vector<shared_frame> pending_;
  std::size_t in_flight_ = 0; ///< its thread: frames the write holds
  std::string joined_;        ///< its thread: the joined frames written
  std::atomic<std::size_t> queued_bytes_{0};
  std::atomic<bool> closing_{false};
  bool open_ = false; ///< its thread only
};

} // namespace moim::infra
