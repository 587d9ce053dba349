#include "infra/config/config_key.hpp"

#include <algorithm>
#include <charconv>

namespace moim::infra::config_text {

std::variant<std::int64_t, std::string>
integer(std::string_view text, std::int64_t min, std::int64_t max) {
  std::int64_t value = 0;
  auto [end, ec]
    = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size())
    return "expected an integer, got '" + std::string{text} + "'";
  if (value < min || value > max)
    return "expected an integer in [" + std::to_string(min) + ", "
           + std::to_string(max) + "], got " + std::to_string(value);
  return value;
}

std::variant<bool, std::string> boolean(std::string_view text) {
  if (text == "true" || text == "1" || text == "yes")
    return true;
  if (text == "false" || text == "0" || text == "no")
    return false;
  return "expected true or false, got '" + std::string{text} + "'";
}

std::optional<std::string> choice(std::string_view text,
                                  const std::vector<std::string>& choices) {
  if (std::find(choices.begin(), choices.end(), text) != choices.end())
    return std::nullopt;
  std::string all;
  for (const auto& c : choices)
    all += (all.empty() ? "" : ", ") + c;
  return "expected one of " + all + ", got '" + std::string{text} + "'";
}

} // namespace moim::infra::config_text
