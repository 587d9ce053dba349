#include "actors/domain/validation.hpp"

namespace moim::actors {

namespace {

bool valid_utf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80           ? 1
                    : (c >> 5) == 0x6  ? 2
                    : (c >> 4) == 0xe  ? 3
                    : (c >> 3) == 0x1e ? 4
                                       : 0;
    if (n == 0 || i + n > s.size())
      return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2)
        return false;
    i += n;
  }
  return true;
}

} // namespace

std::optional<rejection> check_text(const char* field, const std::string& value,
                                    std::size_t min, std::size_t max) {
  if (value.size() < min)
    return rejection{rejection_code::invalid,
                     std::string{field}
                       + (min == 1 ? " must not be empty" : " is too short")};
  if (value.size() > max)
    return rejection{rejection_code::invalid,
                     std::string{field} + " is longer than "
                       + std::to_string(max) + " bytes"};
  if (!valid_utf8(value))
    return rejection{rejection_code::invalid,
                     std::string{field} + " is not valid UTF-8"};
  return std::nullopt;
}

} // namespace moim::actors
