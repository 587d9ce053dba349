#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>

namespace moim::test {

std::string stack_env(const char* name) {
  auto value = std::getenv(name);
  if (value == nullptr || *value == '\0')
    FAIL(name << " is not set: start the stack and export its settings with "
                 "`infra/stack/stack up && eval \"$(infra/stack/stack env)\"`");
  return value;
}

std::string unique_name(const std::string& prefix) {
  static std::mt19937_64 rng{std::random_device{}()};
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return prefix + "-"
         + std::to_string(
           std::chrono::duration_cast<std::chrono::milliseconds>(now).count())
         + "-" + std::to_string(rng() % 100000);
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  socklen_t len = sizeof(addr);
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

} // namespace moim::test
