#include "infra/config/config_loader.hpp"

#include "infra/config/config_schema.hpp"

#include <toml++/toml.h>

namespace moim::infra {

namespace {

/// Environment variables that are not configuration keys but are ours.
bool is_known_non_key(std::string_view name) {
  return name == "MOIM_CONFIG" || name.rfind("MOIM_STACK_", 0) == 0
         || name.rfind("MOIM_TEST_", 0) == 0;
}

std::optional<std::string> scalar_text(const toml::node& node) {
  if (auto s = node.as_string())
    return s->get();
  if (auto i = node.as_integer())
    return std::to_string(i->get());
  if (auto b = node.as_boolean())
    return b->get() ? "true" : "false";
  return std::nullopt;
}

std::optional<config_error> apply_table(config_loader& loader,
                                        const toml::table& table,
                                        const std::string& prefix,
                                        const std::string& source) {
  for (const auto& [name, node] : table) {
    auto key = prefix.empty() ? std::string{name.str()}
                              : prefix + "." + std::string{name.str()};
    if (auto nested = node.as_table()) {
      if (auto err = apply_table(loader, *nested, key, source))
        return err;
      continue;
    }
    auto text = scalar_text(node);
    if (!text)
      return config_error{key, source, "expected a string, integer or boolean"};
    if (auto err = loader.apply(key, *text, source))
      return err;
  }
  return std::nullopt;
}

} // namespace

std::string config_error::text() const {
  return key + " (from " + source + "): " + message;
}

std::optional<config_error>
config_loader::apply_toml_file(const std::string& path) {
  try {
    auto table = toml::parse_file(path);
    return apply_table(*this, table, "", path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return config_error{"(file)", path,
                        std::string{e.description()} + " at line "
                          + std::to_string(where.line) + ", column "
                          + std::to_string(where.column)};
  }
}

std::optional<config_error>
config_loader::apply_toml_text(std::string_view toml,
                               const std::string& source) {
  try {
    auto table = toml::parse(toml, source);
    return apply_table(*this, table, "", source);
  } catch (const toml::parse_error& e) {
    return config_error{"(file)", source, std::string{e.description()}};
  }
}

std::optional<config_error> config_loader::apply_environment(char** envp) {
  for (auto entry = envp; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view var{*entry};
    auto eq = var.find('=');
    if (eq == std::string_view::npos || var.rfind("MOIM_", 0) != 0)
      continue;
    auto name = var.substr(0, eq);
    const config_key* match = nullptr;
    for (const auto& key : config_schema())
      if (env_name_of(key.name) == name)
        match = &key;
    if (match == nullptr) {
      if (!is_known_non_key(name))
        warnings_.push_back("ignoring unknown environment variable "
                            + std::string{name});
      continue;
    }
    if (auto err = apply(match->name, var.substr(eq + 1), std::string{name}))
      return err;
  }
  return std::nullopt;
}

std::optional<config_error> config_loader::apply(std::string_view key,
                                                 std::string_view value,
                                                 const std::string& source) {
  auto entry = find_config_key(key);
  if (entry == nullptr)
    return config_error{std::string{key}, source,
                        "unknown key; `moimd --help` lists the keys"};
  if (auto problem = entry->assign(values_, value))
    return config_error{std::string{key}, source, *problem};
  return std::nullopt;
}

} // namespace moim::infra
