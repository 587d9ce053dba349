#pragma once

#include "infra/config/settings.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace moim::infra {

/// One configuration key: its dotted name, what it means, and how a text
/// value is checked and stored. `assign` returns an error text, or nothing.
struct config_key {
  std::string name;
  std::string help;
  std::function<std::optional<std::string>(settings&, std::string_view)> assign;
  std::function<std::string(const settings&)> show;
};

/// Every key moimd accepts, in the order the README lists them.
[[nodiscard]] const std::vector<config_key>& config_schema();

/// The key named `name`, or nullptr.
[[nodiscard]] const config_key* find_config_key(std::string_view name);

/// `server.port` -> `MOIM_SERVER_PORT`.
[[nodiscard]] std::string env_name_of(std::string_view key);

} // namespace moim::infra
