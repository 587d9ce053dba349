#pragma once

#include "infra/http/client.hpp"
#include "tests/support/process.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace moim::test {

/// moimd on the stack's Kafka for end-to-end tests: its own port, consumer
/// group, transactional.id prefix and state folder, so nodes of different
/// tests never share partitions. Ready once /readyz says so; SIGTERM at the
/// end.
class moimd_node {
public:
  explicit moimd_node(std::vector<std::string> extra_flags = {});
  ~moimd_node();

  moimd_node(const moimd_node&) = delete;
  moimd_node& operator=(const moimd_node&) = delete;

  /// One request; `token` goes in an Authorization: Bearer header.
  [[nodiscard]] infra::http_reply call_raw(const std::string& method,
                                           const std::string& path,
                                           const std::string& body,
                                           const std::string& token = {});

  /// A JSON request that must answer `expected`; its JSON body.
  nlohmann::json call(const std::string& method, const std::string& path,
                      const nlohmann::json& body, int expected,
                      const std::string& token = {});

  /// A query (GET) that must answer 200; while it answers 503
  /// read_model_behind (an after_position its read model has not reached
  /// yet, e.g. while a partition moves between nodes) it is asked again, as
  /// its Retry-After says, for 60 s at most.
  nlohmann::json query(const std::string& path, const std::string& token);

  /// Logs in; the access token.
  [[nodiscard]] std::string login(const std::string& user,
                                  const std::string& password);

  /// Signs up a fresh user (password "long enough") and logs in:
  /// (user id, access token).
  [[nodiscard]] std::pair<std::string, std::string>
  user(const std::string& stem);

  /// Sends `sig` to the running moimd.
  void signal(int sig);
  /// Waits up to `timeout` for its exit: the exit code, or nothing.
  [[nodiscard]] std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  /// Starts moimd again with the same flags, port, group and state folder
  /// (the previous one must have exited); does not wait for /readyz.
  void restart();
  /// What moimd printed so far.
  [[nodiscard]] std::string output() const;
  /// Waits (90 s at most) until /readyz answers 200.
  void wait_ready();

  int port;
  std::string base;

private:
  std::vector<std::string> args_;
  std::unique_ptr<child_process> process_;
};

} // namespace moim::test
