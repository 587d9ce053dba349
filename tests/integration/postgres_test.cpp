#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

using namespace moim::test;

TEST_CASE("postgres: parameterized write and read through libpqxx") {
  pqxx::connection conn{stack_env("MOIM_POSTGRES_URL")};
  pqxx::work tx{conn};
  tx.exec0("CREATE TEMP TABLE it_rooms (id bigint PRIMARY KEY, name text)");
  // A name that would break naive string concatenation.
  const std::string name = "Robert'); DROP TABLE it_rooms;--";
  tx.exec_params0("INSERT INTO it_rooms (id, name) VALUES ($1, $2)", 7, name);
  auto row = tx.exec_params1("SELECT name FROM it_rooms WHERE id = $1", 7);
  CHECK(row[0].as<std::string>() == name);
  auto count = tx.exec1("SELECT count(*) FROM it_rooms");
  CHECK(count[0].as<int>() == 1);
  tx.abort();
}

TEST_CASE("postgres: the server is version 15") {
  pqxx::connection conn{stack_env("MOIM_POSTGRES_URL")};
  CHECK(conn.server_version() / 10000 == 15);
}
