#pragma once

#include "infra/error.hpp"

#include <chrono>
#include <string>

namespace moim::infra {

/// What a verified access token says.
struct token_claims {
  std::string subject;         ///< the user id
  std::int64_t expires_at = 0; ///< Unix seconds

  /// Whether the token has expired by now (the rule verify() applies).
  [[nodiscard]] bool expired() const;
};

/// Issues and verifies short-lived access tokens: JWT, HS256 (libjwt), with
/// "sub", "iat" and "exp". The secret never leaves this object.
class token_issuer {
public:
  token_issuer(std::string secret, std::chrono::seconds lifetime);

  [[nodiscard]] result<std::string> issue(const std::string& subject) const;

  /// The claims of a token signed with our secret, with HS256, not expired;
  /// otherwise an `invalid` error saying which of those failed.
  [[nodiscard]] result<token_claims> verify(const std::string& token) const;

  [[nodiscard]] std::chrono::seconds lifetime() const noexcept {
    return lifetime_;
  }

private:
  std::string secret_;
  std::chrono::seconds lifetime_;
};

/// A random secret for when none is configured (tokens then die with the
/// process), 32 bytes as hex.
[[nodiscard]] std::string random_secret();

/// An opaque random token (refresh tokens), 32 bytes as base64url.
[[nodiscard]] std::string random_token();

} // namespace moim::infra
