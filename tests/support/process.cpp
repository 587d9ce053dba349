#include "tests/support/process.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

extern char** environ;

namespace moim::test {

namespace {

// Children still running, so that a test that dies (a fatal REQUIRE in a
// thread, abort, a crash) takes them along instead of leaving them behind.
constexpr std::size_t max_children = 64;
std::atomic<pid_t> live_children[max_children];

void kill_children(int sig) {
  for (auto& slot : live_children) {
    auto pid = slot.load();
    if (pid > 0)
      ::kill(pid, SIGKILL);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

/// Installed before Catch's own handlers, which restore and re-raise to it.
const bool handlers_installed = [] {
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTERM})
    ::signal(sig, kill_children);
  return true;
}();

void remember(pid_t pid) {
  for (auto& slot : live_children) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid))
      return;
  }
}

void forget(pid_t pid) {
  for (auto& slot : live_children) {
    pid_t mine = pid;
    if (slot.compare_exchange_strong(mine, 0))
      return;
  }
}

} // namespace

child_process::child_process(std::vector<std::string> argv,
                             std::vector<std::string> env) {
  char path_template[] = "/tmp/moim-child-XXXXXX";
  int fd = ::mkstemp(path_template);
  REQUIRE(fd >= 0);
  output_path_ = path_template;

  std::map<std::string, std::string> vars;
  for (auto e = environ; *e != nullptr; ++e) {
    std::string entry{*e};
    vars[entry.substr(0, entry.find('='))] = entry;
  }
  for (auto& entry : env)
    vars[entry.substr(0, entry.find('='))] = entry;
  std::vector<std::string> env_strings;
  for (auto& [name, entry] : vars)
    env_strings.push_back(entry);
  std::vector<char*> envp;
  for (auto& s : env_strings)
    envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<char*> args;
  for (auto& a : argv)
    args.push_back(a.data());
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fd, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  auto rc
    = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(fd);
  REQUIRE(rc == 0);
  (void)handlers_installed;
  remember(pid_);
}

child_process::~child_process() {
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  forget(pid_);
  if (!output_path_.empty())
    ::unlink(output_path_.c_str());
}

void child_process::signal(int sig) const {
  if (!exit_code_) // a reaped pid may belong to another process by now
    ::kill(pid_, sig);
}

std::optional<int> child_process::wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exit_code_) {
    int status = 0;
    auto rc = ::waitpid(pid_, &status, WNOHANG);
    if (rc == pid_) {
      exit_code_
        = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  return exit_code_;
}

std::string child_process::output() const {
  std::ifstream in{output_path_};
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

} // namespace moim::test
