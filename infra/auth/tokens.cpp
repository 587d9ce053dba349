#include "infra/auth/tokens.hpp"

#include <jwt.h>
#include <sodium.h>

#include <cstdlib>
#include <ctime>
#include <memory>

namespace moim::infra {

namespace {

struct jwt_deleter {
  void operator()(jwt_t* j) const {
    jwt_free(j);
  }
};
using jwt_ptr = std::unique_ptr<jwt_t, jwt_deleter>;

struct c_free {
  void operator()(char* p) const {
    std::free(p);
  }
};

std::int64_t now_seconds() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

} // namespace

bool token_claims::expired() const {
  return expires_at <= now_seconds();
}

token_issuer::token_issuer(std::string secret, std::chrono::seconds lifetime)
  : secret_(std::move(secret)), lifetime_(lifetime) {
  // nop
}

result<std::string> token_issuer::issue(const std::string& subject) const {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0)
    return error{errc::unreachable, "cannot create a token"};
  jwt_ptr token{raw};
  auto now = now_seconds();
  if (jwt_add_grant(raw, "sub", subject.c_str()) != 0
      || jwt_add_grant_int(raw, "iat", static_cast<long>(now)) != 0
      || jwt_add_grant_int(raw, "exp",
                           static_cast<long>(now + lifetime_.count()))
           != 0
      || jwt_set_alg(raw, JWT_ALG_HS256,
                     reinterpret_cast<const unsigned char*>(secret_.data()),
                     static_cast<int>(secret_.size()))
           != 0)
    return error{errc::invalid, "cannot build a token"};
  // libjwt 1.10 hands out malloc'ed strings.
  std::unique_ptr<char, c_free> text{jwt_encode_str(raw)};
  if (!text)
    return error{errc::invalid, "cannot encode a token"};
  return std::string{text.get()};
}

result<token_claims> token_issuer::verify(const std::string& token) const {
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, token.c_str(),
                 reinterpret_cast<const unsigned char*>(secret_.data()),
                 static_cast<int>(secret_.size()))
      != 0)
    return error{errc::invalid, "the token is malformed or its signature is "
                                "wrong"};
  jwt_ptr decoded{raw};
  if (jwt_get_alg(raw) != JWT_ALG_HS256)
    return error{errc::invalid, "the token is not signed with HS256"};
  token_claims claims;
  const char* sub = jwt_get_grant(raw, "sub");
  if (sub == nullptr || *sub == '\0')
    return error{errc::invalid, "the token names no user"};
  claims.subject = sub;
  claims.expires_at = jwt_get_grant_int(raw, "exp");
  if (claims.expires_at == 0)
    return error{errc::invalid, "the token has no expiry"};
  if (claims.expired())
    return error{errc::invalid, "the token has expired"};
  return claims;
}

std::string random_secret() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof(bytes));
  char hex[65];
  sodium_bin2hex(hex, sizeof(hex), bytes, sizeof(bytes));
  return hex;
}

std::string random_token() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof(bytes));
  char out[sodium_base64_ENCODED_LEN(32,
                                     sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof(out), bytes, sizeof(bytes),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

} // namespace moim::infra
