#include "projections/position.hpp"

#include "infra/log/topics.hpp"

#include <charconv>

namespace moim::projections {

std::string format_point(const log_point& p) {
  return p.where.topic + ":" + std::to_string(p.where.partition.value()) + ":"
         + std::to_string(p.offset.value());
}

std::string format_point(events::aggregate_kind kind,
                         const events::log_position& p) {
  return format_point({{infra::topic_of(kind), p.partition}, p.offset});
}

std::optional<log_point> parse_point(std::string_view text) {
  auto last = text.rfind(':');
  if (last == std::string_view::npos || last == 0)
    return std::nullopt;
  auto middle = text.rfind(':', last - 1);
  if (middle == std::string_view::npos || middle == 0)
    return std::nullopt;
  auto number = [](std::string_view digits, auto& out) {
    if (digits.empty())
      return false;
    auto [end, ec]
      = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return ec == std::errc{} && end == digits.data() + digits.size()
           && out >= 0;
  };
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  if (!number(text.substr(middle + 1, last - middle - 1), partition)
      || !number(text.substr(last + 1), offset))
    return std::nullopt;
  return log_point{
    {std::string{text.substr(0, middle)}, events::partition_id{partition}},
    events::log_offset{offset}};
}

} // namespace moim::projections
