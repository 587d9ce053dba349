#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace moim::infra {

/// One configuration key of a component: its name within the component's
/// section, what it means, and how a text value is checked and stored in
/// the component's options (`Section`). `assign` returns an error text, or
/// nothing. A component declares its keys next to its code (userver's
/// per-component schema); the executable mounts them under a prefix into
/// one `config_schema` (config_schema.hpp).
template<class Section>
struct config_key {
  std::string name;
  std::string help;
  std::function<std::optional<std::string>(Section&, std::string_view)> assign;
  std::function<std::string(const Section&)> show;
};

template<class Section>
using config_keys = std::vector<config_key<Section>>;

/// The value checks behind the key makers, one copy for every section.
namespace config_text {

/// An integer in [min, max], or why not.
[[nodiscard]] std::variant<std::int64_t, std::string>
integer(std::string_view text, std::int64_t min, std::int64_t max);

/// true|1|yes or false|0|no, or why not.
[[nodiscard]] std::variant<bool, std::string> boolean(std::string_view text);

/// Nothing when `text` is one of `choices`, else why not.
[[nodiscard]] std::optional<std::string>
choice(std::string_view text, const std::vector<std::string>& choices);

} // namespace config_text

namespace detail {

template<class T>
struct is_duration : std::false_type {};

template<class Rep, class Period>
struct is_duration<std::chrono::duration<Rep, Period>> : std::true_type {};

} // namespace detail

// The key makers. `field` picks the value out of the section: a data
// member pointer (`&http_server_options::port`) or, for a nested value, a
// generic lambda (`[](auto& s) -> auto& { return s.websocket.burst; }`).

/// An integer in [min, max] stored in any arithmetic field, or in a
/// std::chrono::duration field counted in that duration's unit (name the
/// key after the unit: `_ms`, `_s`).
template<class Section, class Field>
config_key<Section> integer(std::string name, std::string help, Field field,
                            std::int64_t min, std::int64_t max) {
  auto assign
    = [field, min, max](Section& section,
                        std::string_view text) -> std::optional<std::string> {
    auto parsed = config_text::integer(text, min, max);
    if (auto* problem = std::get_if<std::string>(&parsed))
      return *problem;
    auto& target = std::invoke(field, section);
    using value_type = std::remove_reference_t<decltype(target)>;
    auto value = std::get<std::int64_t>(parsed);
    if constexpr (detail::is_duration<value_type>::value)
      target = value_type{static_cast<typename value_type::rep>(value)};
    else
      target = static_cast<value_type>(value);
    return std::nullopt;
  };
  auto show = [field](const Section& section) {
    const auto& value = std::invoke(field, section);
    using value_type = std::decay_t<decltype(value)>;
    if constexpr (detail::is_duration<value_type>::value)
      return std::to_string(value.count());
    else
      return std::to_string(static_cast<std::int64_t>(value));
  };
  return {std::move(name), std::move(help), std::move(assign), std::move(show)};
}

/// Any text, stored in a std::string field.
template<class Section, class Field>
config_key<Section> text(std::string name, std::string help, Field field) {
  auto assign = [field](Section& section,
                        std::string_view value) -> std::optional<std::string> {
    std::invoke(field, section) = std::string{value};
    return std::nullopt;
  };
  auto show = [field](const Section& section) {
    return std::string{std::invoke(field, section)};
  };
  return {std::move(name), std::move(help), std::move(assign), std::move(show)};
}

/// One of `choices`, stored in a std::string field: a text key that checks
/// the value first.
template<class Section, class Field>
config_key<Section> choice(std::string name, std::string help, Field field,
                           std::vector<std::string> choices) {
  auto key = text<Section>(std::move(name), std::move(help), field);
  key.assign = [store = std::move(key.assign), choices = std::move(choices)](
                 Section& section,
                 std::string_view value) -> std::optional<std::string> {
    if (auto problem = config_text::choice(value, choices))
      return problem;
    return store(section, value);
  };
  return key;
}

/// true or false, stored in a bool field.
template<class Section, class Field>
config_key<Section> boolean(std::string name, std::string help, Field field) {
  auto assign = [field](Section& section,
                        std::string_view text) -> std::optional<std::string> {
    auto parsed = config_text::boolean(text);
    if (auto* problem = std::get_if<std::string>(&parsed))
      return *problem;
    std::invoke(field, section) = std::get<bool>(parsed);
    return std::nullopt;
  };
  auto show = [field](const Section& section) {
    return std::invoke(field, section) ? std::string{"true"}
                                       : std::string{"false"};
  };
  return {std::move(name), std::move(help), std::move(assign), std::move(show)};
}

/// `keys` of a part of `Outer` as keys of `Outer`, with the same names;
/// `part` picks the part: a data member pointer or a generic lambda.
template<class Outer, class Inner, class Access>
config_keys<Outer> nest(const config_keys<Inner>& keys, Access part,
                        const std::string& prefix = "") {
  config_keys<Outer> result;
  for (const auto& key : keys)
    result.push_back(
      {prefix + key.name, key.help,
       [assign = key.assign, part](Outer& outer, std::string_view value) {
         return assign(std::invoke(part, outer), value);
       },
       [show = key.show, part](const Outer& outer) {
         return show(std::invoke(part, outer));
       }});
  return result;
}

} // namespace moim::infra
