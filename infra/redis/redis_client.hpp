#pragma once

#include "infra/error.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct redisContext;

namespace moim::infra {

/// One reply of a pipeline, as Redis gave it.
struct redis_value {
  enum class kind { nil, integer, text, array, error };
  kind type = kind::nil;
  std::int64_t integer = 0;
  std::string text; ///< bulk or status string, or the error's message
  std::vector<redis_value> items;

  [[nodiscard]] bool is_nil() const noexcept {
    return type == kind::nil;
  }
};

/// A small synchronous Redis client over hiredis: one connection, used by
/// one caller at a time, (re)connected on demand, every call bounded by
/// `timeout`. Blocking: call it off the I/O threads and the actor scheduler.
class redis_client {
public:
  redis_client(std::string url, std::chrono::milliseconds timeout);
  ~redis_client();

  redis_client(const redis_client&) = delete;
  redis_client& operator=(const redis_client&) = delete;

  /// Runs one command given as its words (binary-safe). The reply as text:
  /// bulk and status strings as they are, integers in decimal, nil as
  /// nothing; an error reply or a failed connection is an error.
  [[nodiscard]] result<std::optional<std::string>>
  command(const std::vector<std::string>& words);

  /// Sends `commands` at once and reads their replies in order (one round
  /// trip). A reply that is an error is a value of kind error; a failed
  /// connection is an error (the connection is dropped and, when
  /// `retry_once` is set, the whole pipeline is sent once more on a fresh
  /// one: for reads, and for writes that are safe to repeat).
  [[nodiscard]] result<std::vector<redis_value>>
  pipeline(const std::vector<std::vector<std::string>>& commands,
           bool retry_once = false);

  /// Every key matching the glob `pattern`, by SCAN (never KEYS, which
  /// blocks the server); for small key sets such as checkpoints.
  [[nodiscard]] result<std::vector<std::string>>
  keys_matching(const std::string& pattern);

private:
  [[nodiscard]] std::optional<error> connect();

  std::string url_;
  std::chrono::milliseconds timeout_;
  std::mutex mtx_;
  redisContext* ctx_ = nullptr;
};

} // namespace moim::infra
