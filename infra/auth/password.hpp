#pragma once

#include "infra/error.hpp"

#include <string>

namespace moim::infra {

/// An argon2id hash of `password` (libsodium's crypto_pwhash_str, with the
/// interactive limits), in the self-describing "$argon2id$..." form.
/// CPU- and memory-heavy on purpose: call it off the I/O threads.
[[nodiscard]] result<std::string> hash_password(const std::string& password);

/// Whether `password` matches a hash made by hash_password.
[[nodiscard]] bool verify_password(const std::string& hash,
                                   const std::string& password);

} // namespace moim::infra
