#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace moim::test {

/// A WebSocket client for tests (Boost.Beast), every wait bounded.
class ws_client {
public:
  /// Connects and upgrades; on a refused upgrade returns nullptr and sets
  /// `status` to the HTTP status of the refusal. A `receive_buffer_bytes`
  /// above 0 sets the socket's SO_RCVBUF before connecting (a client that
  /// stops reading then holds little in its kernel).
  static std::unique_ptr<ws_client> connect(int port, const std::string& target,
                                            int* status = nullptr,
                                            int receive_buffer_bytes = 0);
  ~ws_client();

  void send(const std::string& text);

  /// The next text frame, or nothing after `timeout` or when closed.
  std::optional<std::string> receive(std::chrono::milliseconds timeout);

  /// The close code the server sent, once closed (0 before).
  [[nodiscard]] int close_code() const;

  struct impl;

private:
  explicit ws_client(std::unique_ptr<impl> d);
  std::unique_ptr<impl> impl_;
};

/// The next frame of `type` (others, like presence or typing, are skipped);
/// fails the test when none comes within 10 s a frame.
nlohmann::json next_frame(ws_client& client, const std::string& type);

} // namespace moim::test
