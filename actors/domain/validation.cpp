#include "actors/domain/validation.hpp"

#include <cctype>
#include <ctime>

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

bool has_control(const std::string& s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
      return true;
  }
  return false;
}

rejection invalid(const char* field, const char* why) {
  return rejection{rejection_code::invalid, std::string{field} + why};
}

bool digits(const char* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (std::isdigit(static_cast<unsigned char>(p[i])) == 0)
      return false;
  return true;
}

/// "Z", "z" or "+HH:MM"/"-HH:MM" with HH < 24 and MM < 60.
bool valid_offset(const char* p) {
  if ((p[0] == 'Z' || p[0] == 'z') && p[1] == '\0')
    return true;
  if ((p[0] != '+' && p[0] != '-') || !digits(p + 1, 2) || p[3] != ':'
      || !digits(p + 4, 2) || p[6] != '\0')
    return false;
  return (p[1] - '0') * 10 + (p[2] - '0') < 24
         && (p[4] - '0') * 10 + (p[5] - '0') < 60;
}

} // namespace

std::optional<rejection> check_text(const char* field, const std::string& value,
                                    std::size_t min, std::size_t max) {
  if (value.size() < min)
    return invalid(field, min == 1 ? " must not be empty" : " is too short");
  if (value.size() > max)
    return rejection{rejection_code::invalid,
                     std::string{field} + " is longer than "
                       + std::to_string(max) + " bytes"};
  if (!valid_utf8(value))
    return invalid(field, " is not valid UTF-8");
  if (has_control(value))
    return invalid(field, " must not hold control characters (NUL included)");
  return std::nullopt;
}

std::optional<rejection> check_timestamp(const char* field,
                                         const std::string& value) {
  constexpr const char* expected
    = " must be an RFC 3339 date-time, e.g. 2027-01-02T07:00:00+09:00";
  // The date and time by the C library; fractions and the offset by hand,
  // which strptime does not read portably.
  std::tm tm{};
  const char* rest = value.size() > 64 || value.find('\0') != std::string::npos
                       ? nullptr
                       : strptime(value.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr || value.size() < 19 || value[4] != '-'
      || value[10] != 'T')
    return invalid(field, expected);
  if (*rest == '.') {
    ++rest;
    if (std::isdigit(static_cast<unsigned char>(*rest)) == 0)
      return invalid(field, expected);
    while (std::isdigit(static_cast<unsigned char>(*rest)) != 0)
      ++rest;
  }
  if (!valid_offset(rest))
    return invalid(field, expected);
  // A day the month does not have (2027-02-30) comes back normalised.
  std::tm check = tm;
  if (timegm(&check) == -1 || check.tm_mday != tm.tm_mday
      || check.tm_mon != tm.tm_mon)
    return invalid(field, expected);
  return std::nullopt;
}

} // namespace moim::actors
