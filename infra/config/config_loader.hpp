#pragma once

#include "infra/config/settings.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace moim::infra {

/// Why a configuration was refused: the key, where the value came from, and
/// what was wrong with it.
struct config_error {
  std::string key;
  std::string source;
  std::string message;

  /// "server.port (from MOIM_SERVER_PORT): expected an integer, got 'x'"
  [[nodiscard]] std::string text() const;
};

/// Builds settings in layers: defaults, then a TOML file, then `MOIM_*`
/// environment variables, then command-line flags; each later layer
/// overrides the earlier. The first unknown key or bad value stops loading.
class config_loader {
public:
  [[nodiscard]] std::optional<config_error>
  apply_toml_file(const std::string& path);

  [[nodiscard]] std::optional<config_error>
  apply_toml_text(std::string_view toml, const std::string& source);

  /// Reads `MOIM_<KEY>` variables from `envp` (a null-terminated array of
  /// NAME=VALUE). Unknown MOIM_ variables are warnings, not errors: the
  /// environment is shared with other tools.
  [[nodiscard]] std::optional<config_error> apply_environment(char** envp);

  [[nodiscard]] std::optional<config_error> apply(std::string_view key,
                                                  std::string_view value,
                                                  const std::string& source);

  [[nodiscard]] const settings& values() const noexcept {
    return values_;
  }

  [[nodiscard]] const std::vector<std::string>& warnings() const noexcept {
    return warnings_;
  }

private:
  settings values_;
  std::vector<std::string> warnings_;
};

} // namespace moim::infra
