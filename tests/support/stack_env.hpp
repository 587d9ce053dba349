#pragma once

#include <string>

namespace moim::test {

/// The value of a MOIM_* endpoint variable printed by `infra/stack/stack env`.
/// Integration tests need real services: a missing variable fails the test
/// with a message saying how to provide it, it never skips.
[[nodiscard]] std::string stack_env(const char* name);

/// A name no earlier run has used: prefix + time + random suffix.
[[nodiscard]] std::string unique_name(const std::string& prefix);

/// A TCP port on 127.0.0.1 that was free a moment ago.
[[nodiscard]] int free_port();

} // namespace moim::test
