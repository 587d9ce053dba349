#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace moim::test {

/// A Server-Sent Events client for tests (Boost.Beast), every wait bounded.
class sse_client {
public:
  struct event {
    std::string id;
    std::string type; ///< "message" when unnamed, ":" for a comment
    std::string data;
  };

  /// Sends GET `target` with `headers`; a stream when the answer is 200
  /// text/event-stream, else nullptr with `status` set.
  static std::unique_ptr<sse_client>
  connect(int port, const std::string& target,
          const std::vector<std::pair<std::string, std::string>>& headers,
          int* status = nullptr,
          std::chrono::milliseconds timeout = std::chrono::seconds{10});
  ~sse_client();

  /// The next event (comments included), or nothing after `timeout` or
  /// when the stream ended.
  std::optional<event> next(std::chrono::milliseconds timeout);

  struct impl;

private:
  explicit sse_client(std::unique_ptr<impl> d);
  std::unique_ptr<impl> impl_;
};

} // namespace moim::test
