#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace moim::test {

/// A child process for tests, its stdout and stderr captured in a file.
/// The destructor kills it (SIGKILL) if it still runs.
class child_process {
public:
  /// Starts `argv[0]` with `argv`; `env` entries (NAME=VALUE) are added to
  /// this process's environment, overriding variables of the same name.
  child_process(std::vector<std::string> argv,
                std::vector<std::string> env = {});
  ~child_process();

  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  [[nodiscard]] int pid() const noexcept {
    return pid_;
  }

  /// Sends `sig`.
  void signal(int sig) const;

  /// Waits up to `timeout` for the exit; the exit code, or nothing while it
  /// still runs (a death by signal is reported as 128 + signal).
  [[nodiscard]] std::optional<int> wait(std::chrono::milliseconds timeout);

  /// Everything the child printed so far.
  [[nodiscard]] std::string output() const;

private:
  int pid_ = -1;
  std::optional<int> exit_code_;
  std::string output_path_;
};

} // namespace moim::test
