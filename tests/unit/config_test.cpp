#include "infra/config/config_loader.hpp"
#include "tools/moimd/settings.hpp"

#include <catch2/catch.hpp>

using moim::moimd::settings;
using moim::moimd::settings_schema;
using namespace std::chrono_literals;

namespace {

/// moimd's loader: every component's keys, as moimd gathers them.
struct moimd_loader : moim::infra::config_loader<settings> {
  moimd_loader() : config_loader(settings_schema()) {}
};

std::vector<char*> env_of(std::vector<std::string>& vars) {
  std::vector<char*> envp;
  for (auto& v : vars)
    envp.push_back(v.data());
  envp.push_back(nullptr);
  return envp;
}

} // namespace

TEST_CASE("config: defaults are loopback and the embedded log") {
  moimd_loader loader;
  CHECK(loader.values().server.host == "127.0.0.1");
  CHECK(loader.values().eventlog.kafka.url.empty());
}

TEST_CASE("config: a TOML file sets nested keys") {
  moimd_loader loader;
  auto err = loader.apply_toml_text(R"(
[server]
port = 9000
threads = 3
[kafka]
brokers = "127.0.0.1:1234"
[redis]
required = false
)",
                                    "test.toml");
  REQUIRE_FALSE(err);
  CHECK(loader.values().server.port == 9000);
  CHECK(loader.values().server.threads == 3);
  CHECK(loader.values().eventlog.kafka.url == "127.0.0.1:1234");
  CHECK_FALSE(loader.values().redis.required);
}

TEST_CASE("config: an unknown key in the file is rejected, naming the key") {
  moimd_loader loader;
  auto err = loader.apply_toml_text("[server]\nprot = 9000\n", "moim.toml");
  REQUIRE(err);
  CHECK(err->key == "server.prot");
  CHECK(err->source == "moim.toml");
  CHECK_THAT(err->text(), Catch::Contains("server.prot"));
  CHECK_THAT(err->text(), Catch::Contains("unknown key"));
}

TEST_CASE("config: a bad value is rejected, naming the key and the value") {
  moimd_loader loader;
  SECTION("out of range") {
    auto err = loader.apply_toml_text("[server]\nport = 70000\n", "f.toml");
    REQUIRE(err);
    CHECK(err->key == "server.port");
    CHECK_THAT(err->message, Catch::Contains("70000"));
  }
  SECTION("wrong type") {
    auto err
      = loader.apply_toml_text("[server]\nthreads = \"many\"\n", "f.toml");
    REQUIRE(err);
    CHECK(err->key == "server.threads");
    CHECK_THAT(err->message, Catch::Contains("expected an integer"));
  }
  SECTION("not one of the choices") {
    auto err = loader.apply("log.format", "xml", "--log.format");
    REQUIRE(err);
    CHECK(err->key == "log.format");
    CHECK_THAT(err->message, Catch::Contains("text, json"));
  }
  SECTION("not a boolean") {
    auto err = loader.apply("postgres.required", "maybe", "flag");
    REQUIRE(err);
    CHECK(err->key == "postgres.required");
  }
  // A rejected value leaves the earlier one in place.
  CHECK(loader.values().server.port == 8080);
}

TEST_CASE("config: environment overrides the file and flags override both") {
  moimd_loader loader;
  REQUIRE_FALSE(loader.apply_toml_text(
    "[server]\nport = 9000\nhost = \"127.0.0.2\"\n", "f.toml"));
  std::vector<std::string> vars{"MOIM_SERVER_PORT=9100", "PATH=/bin",
                                "MOIM_CONFIG=/x.toml"};
  auto envp = env_of(vars);
  REQUIRE_FALSE(loader.apply_environment(envp.data()));
  CHECK(loader.values().server.port == 9100);
  CHECK(loader.values().server.host == "127.0.0.2");
  REQUIRE_FALSE(loader.apply("server.port", "9200", "--server.port"));
  CHECK(loader.values().server.port == 9200);
  CHECK(loader.warnings().empty());
}

TEST_CASE("config: a bad environment value names the variable") {
  moimd_loader loader;
  std::vector<std::string> vars{"MOIM_SERVER_PORT=eighty"};
  auto envp = env_of(vars);
  auto err = loader.apply_environment(envp.data());
  REQUIRE(err);
  CHECK(err->key == "server.port");
  CHECK(err->source == "MOIM_SERVER_PORT");
}

TEST_CASE("config: an unknown MOIM_ variable is a warning, not an error") {
  moimd_loader loader;
  std::vector<std::string> vars{"MOIM_SERVR_PORT=1"};
  auto envp = env_of(vars);
  REQUIRE_FALSE(loader.apply_environment(envp.data()));
  REQUIRE(loader.warnings().size() == 1);
  CHECK_THAT(loader.warnings().front(), Catch::Contains("MOIM_SERVR_PORT"));
}

TEST_CASE("config: a malformed file is rejected with its position") {
  moimd_loader loader;
  auto err = loader.apply_toml_text("[server\nport = 1\n", "broken.toml");
  REQUIRE(err);
  CHECK(err->source == "broken.toml");
}

TEST_CASE("config: every key has an environment name") {
  CHECK(moim::infra::env_name_of("kafka.brokers") == "MOIM_KAFKA_BROKERS");
  for (const auto& key : settings_schema().keys()) {
    CHECK_FALSE(key.help.empty());
    moimd_loader loader;
    // The default shown for each key is accepted back as a value.
    CHECK_FALSE(loader.apply(key.name, key.show(loader.values()), "default"));
  }
}

TEST_CASE("config: each component's keys land in that component's options") {
  moimd_loader loader;
  REQUIRE_FALSE(loader.apply("server.header_timeout_ms", "1500", "flag"));
  REQUIRE_FALSE(loader.apply("auth.access_ttl_s", "60", "flag"));
  REQUIRE_FALSE(loader.apply("hosting.max_live_aggregates", "7", "flag"));
  REQUIRE_FALSE(loader.apply("eventlog.linger_us", "250", "flag"));
  REQUIRE_FALSE(loader.apply("eventlog.linger_per_event_us", "40", "flag"));
  REQUIRE_FALSE(loader.apply("eventlog.linger_most_us", "9000", "flag"));
  // Two components share the websocket section: the gateway's rate and
  // the HTTP server's frame limit.
  REQUIRE_FALSE(loader.apply("websocket.burst", "5", "flag"));
  REQUIRE_FALSE(loader.apply("websocket.max_frame_bytes", "4096", "flag"));
  REQUIRE_FALSE(loader.apply("notifications.kept_per_user", "9", "flag"));
  const auto& v = loader.values();
  CHECK(v.server.header_timeout == 1500ms);
  CHECK(v.auth.access_ttl == 60s);
  CHECK(v.hosting.write_side.max_live_aggregates == 7);
  CHECK(v.eventlog.commit.linger == 250us);
  CHECK(v.eventlog.commit.linger_per_event == 40us);
  CHECK(v.eventlog.commit.linger_most == 9000us);
  CHECK(v.gateway.websocket.burst == 5);
  CHECK(v.websocket.max_frame_bytes == 4096);
  CHECK(v.gateway.hub.kept_per_user == 9);
  CHECK(v.server.port == 8080); // moimd's default, not the server's (0)
}

namespace {

struct part {
  int count = 1;
  std::chrono::seconds every{2};
};

struct two_parts {
  part left;
  part right;
};

moim::infra::config_keys<part> part_keys() {
  return {
    moim::infra::integer<part>("count", "how many", &part::count, 0, 9),
    moim::infra::integer<part>("every_s", "how often", &part::every, 1, 60)};
}

} // namespace

TEST_CASE("config: one component's keys mounted twice are two sets of keys") {
  moim::infra::config_schema<two_parts> schema;
  schema.add("left", &two_parts::left, part_keys())
    .add(
      "right", [](auto& root) -> auto& { return root.right; }, part_keys());
  REQUIRE(schema.keys().size() == 4);
  moim::infra::config_loader<two_parts> loader{schema};
  REQUIRE_FALSE(loader.apply_toml_text("[left]\ncount = 3\n[right]\nevery_s "
                                       "= 7\n",
                                       "parts.toml"));
  CHECK(loader.values().left.count == 3);
  CHECK(loader.values().left.every == 2s);
  CHECK(loader.values().right.count == 1);
  CHECK(loader.values().right.every == 7s);
  CHECK(schema.find("right.every_s")->show(loader.values()) == "7");
  auto err = loader.apply("left.count", "10", "flag");
  REQUIRE(err);
  CHECK_THAT(err->message, Catch::Contains("[0, 9]"));
  CHECK(loader.apply("count", "1", "flag")); // only under a section
}
