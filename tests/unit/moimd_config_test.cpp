// The moimd binary refuses a bad configuration before it binds anything.

#include "tests/support/process.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using moim::test::child_process;
using namespace std::chrono_literals;

TEST_CASE("moimd: an unknown flag stops it, naming the flag") {
  child_process moimd{{MOIMD_PATH, "--server.prot", "9000"}};
  auto code = moimd.wait(10s);
  REQUIRE(code);
  CHECK(*code != 0);
  CHECK_THAT(moimd.output(), Catch::Contains("--server.prot"));
}

TEST_CASE("moimd: a bad value stops it, naming the key") {
  child_process moimd{{MOIMD_PATH, "--server.port", "http"}};
  auto code = moimd.wait(10s);
  REQUIRE(code);
  CHECK(*code == 2);
  CHECK_THAT(moimd.output(), Catch::Contains("server.port"));
  CHECK_THAT(moimd.output(), Catch::Contains("expected an integer"));
}

TEST_CASE("moimd: an unknown key in its TOML file stops it, naming the key") {
  auto path = std::string{"/tmp/moimd-config-test.toml"};
  std::ofstream{path} << "[log]\nlevels = \"debug\"\n";
  child_process moimd{{MOIMD_PATH, "--config", path}};
  auto code = moimd.wait(10s);
  REQUIRE(code);
  CHECK(*code == 2);
  CHECK_THAT(moimd.output(), Catch::Contains("log.levels"));
  CHECK_THAT(moimd.output(), Catch::Contains(path));
}

TEST_CASE("moimd: a bad MOIM_ variable stops it, naming the variable") {
  child_process moimd{{MOIMD_PATH}, {"MOIM_LOG_LEVEL=loud"}};
  auto code = moimd.wait(10s);
  REQUIRE(code);
  CHECK(*code == 2);
  CHECK_THAT(moimd.output(), Catch::Contains("MOIM_LOG_LEVEL"));
  CHECK_THAT(moimd.output(), Catch::Contains("log.level"));
}
