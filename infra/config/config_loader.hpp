#pragma once

#include "infra/config/config_schema.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

/// Takes one `key = value` from a layer; an error stops the layer.
using config_sink = std::function<std::optional<config_error>(
  std::string_view key, std::string_view value, const std::string& source)>;

/// Every scalar of a TOML file or text as a dotted key (`[server] port` is
/// `server.port`), in the file's order.
[[nodiscard]] std::optional<config_error>
read_toml_file(const std::string& path, const config_sink& sink);
[[nodiscard]] std::optional<config_error>
read_toml_text(std::string_view toml, const std::string& source,
               const config_sink& sink);

/// The `MOIM_*` variables of `envp` (a null-terminated array of
/// NAME=VALUE) as (name, value), without those that are ours but are not
/// keys (MOIM_CONFIG, MOIM_STACK_*, MOIM_TEST_*).
[[nodiscard]] std::vector<std::pair<std::string_view, std::string_view>>
moim_variables(char** envp);

/// Builds an executable's settings in layers: the defaults of `Root`, then
/// a TOML file, then `MOIM_*` environment variables, then command-line
/// flags; each later layer overrides the earlier. The first unknown key or
/// bad value stops loading.
template<class Root>
class config_loader {
public:
  explicit config_loader(const config_schema<Root>& schema, Root defaults = {})
    : schema_(&schema), values_(std::move(defaults)) {}

  [[nodiscard]] std::optional<config_error>
  apply_toml_file(const std::string& path) {
    return read_toml_file(path, sink());
  }

  [[nodiscard]] std::optional<config_error>
  apply_toml_text(std::string_view toml, const std::string& source) {
    return read_toml_text(toml, source, sink());
  }

  /// Unknown MOIM_ variables are warnings, not errors: the environment is
  /// shared with other tools.
  [[nodiscard]] std::optional<config_error> apply_environment(char** envp) {
    for (auto [name, value] : moim_variables(envp)) {
      const config_key<Root>* match = nullptr;
      for (const auto& key : schema_->keys())
        if (env_name_of(key.name) == name)
          match = &key;
      if (match == nullptr) {
        warnings_.push_back("ignoring unknown environment variable "
                            + std::string{name});
        continue;
      }
      if (auto err = apply(match->name, value, std::string{name}))
        return err;
    }
    return std::nullopt;
  }

  [[nodiscard]] std::optional<config_error> apply(std::string_view key,
                                                  std::string_view value,
                                                  const std::string& source) {
    const auto* entry = schema_->find(key);
    if (entry == nullptr)
      return config_error{std::string{key}, source,
                          "unknown key; `--help` lists the keys"};
    if (auto problem = entry->assign(values_, value))
      return config_error{std::string{key}, source, *problem};
    return std::nullopt;
  }

  [[nodiscard]] const Root& values() const noexcept {
    return values_;
  }

  [[nodiscard]] const std::vector<std::string>& warnings() const noexcept {
    return warnings_;
  }

private:
  config_sink sink() {
    return [this](std::string_view key, std::string_view value,
                  const std::string& source) {
      return apply(key, value, source);
    };
  }

  const config_schema<Root>* schema_;
  Root values_;
  std::vector<std::string> warnings_;
};

} // namespace moim::infra
