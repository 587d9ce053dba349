#pragma once

#include "tools/moimd/settings.hpp"

#include <optional>
#include <string>

namespace moim::moimd {

/// What the command line asked for: a loaded configuration, or an exit code
/// (after --help, --version, or an error already printed).
struct startup {
  std::optional<moimd::settings> settings;
  std::vector<std::string> warnings;
  int exit_code = 0;
};

/// Layers the configuration: defaults < TOML file (--config or MOIM_CONFIG)
/// < MOIM_* environment < flags. Errors name the key and its source.
[[nodiscard]] startup parse_command_line(int argc, char** argv, char** envp);

} // namespace moim::moimd
