#include "events/ids.hpp"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>

namespace moim::events {

event_id new_event_id() {
  // 48 bits of Unix milliseconds, then a 12-bit counter (rand_a) that keeps
  // ids in order within one millisecond, then 62 random bits.
  static std::mutex mtx;
  static std::mt19937_64 rng{std::random_device{}()};
  static std::uint64_t last_ms = 0;
  static std::uint16_t counter = 0;

  auto now = static_cast<std::uint64_t>(
    std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch())
      .count());
  std::uint64_t ms = 0;
  std::uint16_t seq = 0;
  std::uint64_t random = 0;
  {
    std::lock_guard<std::mutex> guard{mtx};
    if (now > last_ms) {
      last_ms = now;
      counter = 0;
    } else if (++counter > 0x0fff) {
      ++last_ms; // counter exhausted: borrow the next millisecond
      counter = 0;
    }
    ms = last_ms;
    seq = counter;
    random = rng();
  }
  std::uint64_t hi = (ms << 16) | 0x7000u | seq;
  std::uint64_t lo = (random & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char buf[37];
  std::snprintf(
    buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx",
    static_cast<unsigned>(hi >> 32), static_cast<unsigned>((hi >> 16) & 0xffff),
    static_cast<unsigned>(hi & 0xffff), static_cast<unsigned>(lo >> 48),
    static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return event_id{buf};
}

bool is_event_id(const std::string& text) {
  // 8-4-4-4-12 lower-case hex digits, version 7.
  if (text.size() != 36 || text[14] != '7')
    return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    char c = text[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  }
  return true;
}

user_id user_id_for_username(const std::string& username) {
  std::string out = "u-";
  for (unsigned char c : username)
    out += static_cast<char>(std::tolower(c));
  return user_id{out};
}

} // namespace moim::events
