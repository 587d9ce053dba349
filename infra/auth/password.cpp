#include "infra/auth/password.hpp"

#include <sodium.h>

namespace moim::infra {

namespace {

bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

} // namespace

result<std::string> hash_password(const std::string& password) {
  if (!sodium_ready())
    return error{errc::invalid, "libsodium could not be initialized"};
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13)
      != 0)
    return error{errc::unreachable, "out of memory while hashing a password"};
  return std::string{out};
}

bool verify_password(const std::string& hash, const std::string& password) {
  if (!sodium_ready() || hash.rfind("$argon2id$", 0) != 0)
    return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(),
                                  password.size())
         == 0;
}

} // namespace moim::infra
