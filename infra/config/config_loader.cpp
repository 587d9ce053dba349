#include "infra/config/config_loader.hpp"

#include <toml++/toml.h>

#include <cctype>

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

std::optional<config_error> read_table(const toml::table& table,
                                       const std::string& prefix,
                                       const std::string& source,
                                       const config_sink& sink) {
  for (const auto& [name, node] : table) {
    auto key = prefix.empty() ? std::string{name.str()}
                              : prefix + "." + std::string{name.str()};
    if (auto nested = node.as_table()) {
      if (auto err = read_table(*nested, key, source, sink))
        return err;
      continue;
    }
    auto text = scalar_text(node);
    if (!text)
      return config_error{key, source, "expected a string, integer or boolean"};
    if (auto err = sink(key, *text, source))
      return err;
  }
  return std::nullopt;
}

} // namespace

std::string config_error::text() const {
  return key + " (from " + source + "): " + message;
}

std::optional<config_error> read_toml_file(const std::string& path,
                                           const config_sink& sink) {
  try {
    auto table = toml::parse_file(path);
    return read_table(table, "", path, sink);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return config_error{"(file)", path,
                        std::string{e.description()} + " at line "
                          + std::to_string(where.line) + ", column "
                          + std::to_string(where.column)};
  }
}

std::optional<config_error> read_toml_text(std::string_view toml,
                                           const std::string& source,
                                           const config_sink& sink) {
  try {
    auto table = toml::parse(toml, source);
    return read_table(table, "", source, sink);
  } catch (const toml::parse_error& e) {
    return config_error{"(file)", source, std::string{e.description()}};
  }
}

std::vector<std::pair<std::string_view, std::string_view>>
moim_variables(char** envp) {
  std::vector<std::pair<std::string_view, std::string_view>> result;
  for (auto entry = envp; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view var{*entry};
    auto eq = var.find('=');
    if (eq == std::string_view::npos || var.rfind("MOIM_", 0) != 0)
      continue;
    auto name = var.substr(0, eq);
    if (!is_known_non_key(name))
      result.emplace_back(name, var.substr(eq + 1));
  }
  return result;
}

std::string env_name_of(std::string_view key) {
  std::string result = "MOIM_";
  for (char c : key)
    result
      += c == '.'
           ? '_'
           : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return result;
}

} // namespace moim::infra
