#pragma once

#include "events/vassert.hpp"
#include "infra/config/config_key.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace moim::infra {

/// Every key an executable accepts: the keys its components declare, each
/// component's mounted under a prefix (`server` + `port` = `server.port`)
/// on the part of the executable's settings (`Root`) that holds that
/// component's options. One schema gives one `--help`, one TOML layout
/// (`[server] port`) and one environment (`MOIM_SERVER_PORT`).
template<class Root>
class config_schema {
public:
  /// Mounts `keys` under `prefix`; `section` picks the component's options
  /// out of the root: a data member pointer, or a generic lambda
  /// (`[](auto& root) -> auto& { return root.gateway.websocket; }`).
  template<class Section, class Access>
  config_schema& add(const std::string& prefix, Access section,
                     const config_keys<Section>& keys) {
    for (auto& key : nest<Root>(keys, section, prefix + ".")) {
      MOIM_VASSERT(find(key.name) == nullptr,
                   "configuration key %s declared twice", key.name.c_str());
      keys_.push_back(std::move(key));
    }
    return *this;
  }

  /// The key named `name`, or nullptr.
  [[nodiscard]] const config_key<Root>* find(std::string_view name) const {
    for (const auto& key : keys_)
      if (key.name == name)
        return &key;
    return nullptr;
  }

  /// In the order they were added (the order `--help` lists them).
  [[nodiscard]] const config_keys<Root>& keys() const noexcept {
    return keys_;
  }

private:
  config_keys<Root> keys_;
};

/// `server.port` -> `MOIM_SERVER_PORT`.
[[nodiscard]] std::string env_name_of(std::string_view key);

} // namespace moim::infra
