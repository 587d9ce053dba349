#pragma once

#include "infra/error.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct redisContext;

namespace moim::infra {

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

private:
  [[nodiscard]] std::optional<error> connect();

  std::string url_;
  std::chrono::milliseconds timeout_;
  std::mutex mtx_;
  redisContext* ctx_ = nullptr;
};

} // namespace moim::infra
