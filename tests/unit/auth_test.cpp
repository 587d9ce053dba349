#include "infra/auth/password.hpp"
#include "infra/auth/tokens.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace moim::infra;
using namespace std::chrono_literals;

TEST_CASE("auth: passwords are argon2id hashes that verify") {
  auto hash = hash_password("correct horse battery staple");
  REQUIRE(hash);
  CHECK(hash->rfind("$argon2id$", 0) == 0);
  CHECK(hash->find("correct") == std::string::npos);
  CHECK(verify_password(*hash, "correct horse battery staple"));
  CHECK_FALSE(verify_password(*hash, "correct horse battery stapl"));
  CHECK_FALSE(verify_password("not a hash", "x"));
  auto again = hash_password("correct horse battery staple");
  REQUIRE(again);
  CHECK(*again != *hash); // salted
}

TEST_CASE("auth: access tokens carry the user and expire") {
  token_issuer issuer{"a-secret-of-the-test", 60s};
  auto token = issuer.issue("u-minji");
  REQUIRE(token);
  auto claims = issuer.verify(*token);
  REQUIRE(claims);
  CHECK(claims->subject == "u-minji");

  token_issuer other{"another-secret", 60s};
  auto forged = other.verify(*token);
  REQUIRE_FALSE(forged);
  CHECK_THAT(forged.err().message, Catch::Contains("signature"));

  auto tampered = *token;
  tampered[tampered.size() / 2] ^= 1;
  CHECK_FALSE(issuer.verify(tampered));
  CHECK_FALSE(issuer.verify("not.a.token"));

  token_issuer short_lived{"a-secret-of-the-test", 1s};
  auto brief = short_lived.issue("u-minji");
  REQUIRE(brief);
  std::this_thread::sleep_for(2100ms);
  auto expired = short_lived.verify(*brief);
  REQUIRE_FALSE(expired);
  CHECK_THAT(expired.err().message, Catch::Contains("expired"));
}

TEST_CASE("auth: random secrets and refresh tokens differ") {
  CHECK(random_secret() != random_secret());
  CHECK(random_secret().size() == 64);
  auto t = random_token();
  CHECK(t.size() == 43);
  CHECK(t != random_token());
}
