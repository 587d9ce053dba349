#include "infra/config/config_loader.hpp"
#include "infra/config/config_schema.hpp"

#include <catch2/catch.hpp>

using moim::infra::config_loader;

namespace {

std::vector<char*> env_of(std::vector<std::string>& vars) {
  std::vector<char*> envp;
  for (auto& v : vars)
    envp.push_back(v.data());
  envp.push_back(nullptr);
  return envp;
}

} // namespace

TEST_CASE("config: defaults are loopback and the embedded log") {
  config_loader loader;
  CHECK(loader.values().server.host == "127.0.0.1");
  CHECK(loader.values().kafka.url.empty());
}

TEST_CASE("config: a TOML file sets nested keys") {
  config_loader loader;
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
  CHECK(loader.values().kafka.url == "127.0.0.1:1234");
  CHECK_FALSE(loader.values().redis.required);
}

TEST_CASE("config: an unknown key in the file is rejected, naming the key") {
  config_loader loader;
  auto err = loader.apply_toml_text("[server]\nprot = 9000\n", "moim.toml");
  REQUIRE(err);
  CHECK(err->key == "server.prot");
  CHECK(err->source == "moim.toml");
  CHECK_THAT(err->text(), Catch::Contains("server.prot"));
  CHECK_THAT(err->text(), Catch::Contains("unknown key"));
}

TEST_CASE("config: a bad value is rejected, naming the key and the value") {
  config_loader loader;
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
  config_loader loader;
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
  config_loader loader;
  std::vector<std::string> vars{"MOIM_SERVER_PORT=eighty"};
  auto envp = env_of(vars);
  auto err = loader.apply_environment(envp.data());
  REQUIRE(err);
  CHECK(err->key == "server.port");
  CHECK(err->source == "MOIM_SERVER_PORT");
}

TEST_CASE("config: an unknown MOIM_ variable is a warning, not an error") {
  config_loader loader;
  std::vector<std::string> vars{"MOIM_SERVR_PORT=1"};
  auto envp = env_of(vars);
  REQUIRE_FALSE(loader.apply_environment(envp.data()));
  REQUIRE(loader.warnings().size() == 1);
  CHECK_THAT(loader.warnings().front(), Catch::Contains("MOIM_SERVR_PORT"));
}

TEST_CASE("config: a malformed file is rejected with its position") {
  config_loader loader;
  auto err = loader.apply_toml_text("[server\nport = 1\n", "broken.toml");
  REQUIRE(err);
  CHECK(err->source == "broken.toml");
}

TEST_CASE("config: every key has an environment name") {
  CHECK(moim::infra::env_name_of("kafka.brokers") == "MOIM_KAFKA_BROKERS");
  for (const auto& key : moim::infra::config_schema()) {
    CHECK_FALSE(key.help.empty());
    config_loader loader;
    // The default shown for each key is accepted back as a value.
    CHECK_FALSE(loader.apply(key.name, key.show(loader.values()), "default"));
  }
}
