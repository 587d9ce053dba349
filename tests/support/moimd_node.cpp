#include "tests/support/moimd_node.hpp"

#include <thread>

#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>

#include <csignal>

namespace moim::test {

namespace {

using namespace std::chrono_literals;

std::vector<std::string> moimd_args(int port, std::vector<std::string> extra) {
  std::vector<std::string> args{MOIMD_PATH,
                                "--server.port",
                                std::to_string(port),
                                "--hosting.group",
                                unique_name("moim-test-node"),
                                "--kafka.transactional_id_prefix",
                                unique_name("moim-test-node"),
                                "--hosting.state_path",
                                unique_name("/tmp/moimd-node") + "/state",
                                "--auth.jwt_secret",
                                "e2e-secret"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

} // namespace

moimd_node::moimd_node(std::vector<std::string> extra_flags)
  : port(free_port()), base("http://127.0.0.1:" + std::to_string(port)),
    args_(moimd_args(port, std::move(extra_flags))) {
  restart();
  wait_ready();
}

void moimd_node::wait_ready() {
  // Serving once /readyz says so (the write side hosts its partitions).
  auto deadline = std::chrono::steady_clock::now() + 90s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = infra::http_call("GET", base + "/readyz", {}, 5s);
    if (r && r->status == 200)
      return;
    REQUIRE_FALSE(process_->wait(200ms));
  }
  FAIL("moimd did not serve in time: " << process_->output());
}

moimd_node::~moimd_node() {
  process_->signal(SIGTERM);
  (void)process_->wait(30s);
}

void moimd_node::signal(int sig) {
  process_->signal(sig);
}

std::optional<int> moimd_node::wait_exit(std::chrono::milliseconds timeout) {
  return process_->wait(timeout);
}

void moimd_node::restart() {
  process_ = std::make_unique<child_process>(
    args_, std::vector<std::string>{"MOIM_KAFKA_BROKERS="
                                    + stack_env("MOIM_KAFKA_BROKERS")});
}

std::string moimd_node::output() const {
  return process_->output();
}

infra::http_reply moimd_node::call_raw(const std::string& method,
                                       const std::string& path,
                                       const std::string& body,
                                       const std::string& token) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty())
    headers.emplace_back("Authorization", "Bearer " + token);
  auto r
    = infra::http_call_with_headers(method, base + path, body, headers, 10s);
  REQUIRE(r);
  return *r;
}

nlohmann::json moimd_node::call(const std::string& method,
                                const std::string& path,
                                const nlohmann::json& body, int expected,
                                const std::string& token) {
  auto r = call_raw(method, path, body.is_null() ? "" : body.dump(), token);
  INFO(method << " " << path << " -> " << r.status << " " << r.body);
  REQUIRE(r.status == expected);
  return r.body.empty() ? nlohmann::json{} : nlohmann::json::parse(r.body);
}

nlohmann::json moimd_node::query(const std::string& path,
                                 const std::string& token) {
  auto deadline = std::chrono::steady_clock::now() + 60s;
  for (;;) {
    auto r = call_raw("GET", path, "", token);
    if (r.status == 503 && r.body.find("read_model_behind") != std::string::npos
        && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(1s);
      continue;
    }
    INFO("GET " << path << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == 200);
    return nlohmann::json::parse(r.body);
  }
}

std::string moimd_node::login(const std::string& user,
                              const std::string& password) {
  auto doc = call("POST", "/v1/sessions",
                  {{"username", user}, {"password", password}}, 200);
  return doc["access_token"].get<std::string>();
}

std::pair<std::string, std::string> moimd_node::user(const std::string& stem) {
  auto name = unique_name(stem);
  auto id = call("POST", "/v1/users",
                 {{"username", name},
                  {"password", "long enough"},
                  {"display_name", stem}},
                 201)["user"]
              .get<std::string>();
  return {id, login(name, "long enough")};
}

} // namespace moim::test
