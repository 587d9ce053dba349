// End to end over raw TCP: requests that never finish arriving, and the cap
// on connections from one address.

#include "tests/support/moimd_node.hpp"
#include "tests/support/ws_client.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace moim::test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

/// A plain TCP connection to 127.0.0.1:`port`, every read bounded.
class raw_connection {
public:
  explicit raw_connection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr)
            == 0);
    timeval tv{0, 200000}; // 200 ms
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~raw_connection() {
    ::close(fd_);
  }
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  /// False once the server has closed its side.
  bool send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL)
           == static_cast<ssize_t>(bytes.size());
  }

  /// What arrives until the server closes or `timeout` passes; `closed`
  /// tells which.
  std::string read_all(std::chrono::milliseconds timeout, bool* closed) {
    std::string got;
    auto deadline = clock_type::now() + timeout;
    *closed = false;
    char buf[4096];
    while (clock_type::now() < deadline) {
      auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
        *closed = true;
        break;
      }
      if (n > 0)
        got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
  }

private:
  int fd_;
};

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

} // namespace

TEST_CASE("http: a body that stops arriving gets 408, a header dripped byte "
          "by byte is cut off, idle keep-alive connections end",
          "[e2e]") {
  moimd_node n(
    {"--server.header_timeout_ms", "1500", "--server.body_timeout_ms", "1000"});

  // The header declares 100 bytes of body; 2 come.
  raw_connection half{n.port};
  auto start = clock_type::now();
  REQUIRE(half.send("POST /v1/users HTTP/1.1\r\nHost: t\r\nContent-Type: "
                    "application/json\r\nContent-Length: 100\r\n\r\n{\""));
  bool closed = false;
  auto answer = half.read_all(10s, &closed);
  INFO(answer);
  CHECK(answer.rfind("HTTP/1.1 408", 0) == 0);
  CHECK(answer.find("request_timeout") != std::string::npos);
  CHECK(closed);
  CHECK(seconds_since(start) < 5.0);

  // One byte every 200 ms: the header is never done within 1.5 s.
  raw_connection drip{n.port};
  start = clock_type::now();
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Pad: "
                              + std::string(100, 'p') + "\r\n\r\n";
  bool cut = false;
  for (char c : request) {
    if (!drip.send(std::string(1, c))) {
      cut = true;
      break;
    }
    auto got = drip.read_all(200ms, &closed);
    if (!got.empty() || closed) {
      CHECK(got.rfind("HTTP/1.1 408", 0) == 0);
      cut = true;
      break;
    }
  }
  CHECK(cut);
  CHECK(seconds_since(start) < 5.0);

  // A finished request is answered; the idle connection then ends.
  raw_connection idle{n.port};
  REQUIRE(idle.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  start = clock_type::now();
  answer = idle.read_all(4s, &closed);
  CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(closed);
  CHECK(seconds_since(start) < 4.0);
}

TEST_CASE("http: one address holds at most server.max_connections_per_ip "
          "connections, WebSockets included, and more get 429",
          "[e2e]") {
  moimd_node n({"--server.max_connections_per_ip", "4"});
  std::vector<std::unique_ptr<ws_client>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(ws_client::connect(n.port, "/v1/ws"));
    REQUIRE(held.back());
  }
  auto refused = n.call_raw("GET", "/healthz", "");
  CHECK(refused.status == 429);
  CHECK(refused.body.find("too_many_connections") != std::string::npos);
  int status = 0;
  CHECK(ws_client::connect(n.port, "/v1/ws", &status) == nullptr);

  // A closed WebSocket gives its place back.
  held.pop_back();
  auto deadline = clock_type::now() + 5s;
  int answered = 0;
  while (clock_type::now() < deadline
         && (answered = n.call_raw("GET", "/healthz", "").status) != 200)
    std::this_thread::sleep_for(100ms);
  CHECK(answered == 200);
}
