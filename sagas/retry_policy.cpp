#include "sagas/retry_policy.hpp"

#include <algorithm>
#include <cmath>

namespace moim::sagas {

namespace {

/// splitmix64: spreads a seed's bits over the whole word.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31U);
}

} // namespace

std::chrono::milliseconds retry_policy::backoff(std::uint32_t attempt,
                                                std::uint64_t seed) const {
  auto exponent = static_cast<double>(std::max<std::uint32_t>(attempt, 1) - 1);
  auto full = std::min(static_cast<double>(cap.count()),
                       static_cast<double>(initial.count())
                         * std::pow(multiplier, exponent));
  auto half = static_cast<std::int64_t>(full / 2);
  auto span
    = static_cast<std::uint64_t>(static_cast<std::int64_t>(full) - half);
  auto drawn
    = span == 0 ? 0 : static_cast<std::int64_t>(mix(seed) % (span + 1));
  return std::chrono::milliseconds{half + drawn};
}

std::uint64_t jitter_seed(const std::string& saga, std::uint32_t step,
                          std::uint32_t attempt, bool compensation) {
  std::uint64_t h = 14695981039346656037ULL;
  auto eat = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ULL;
  };
  for (char c : saga)
    eat(static_cast<unsigned char>(c));
  for (int i = 0; i < 4; ++i)
    eat(static_cast<unsigned char>((step >> (8U * i)) & 0xffU));
  for (int i = 0; i < 4; ++i)
    eat(static_cast<unsigned char>((attempt >> (8U * i)) & 0xffU));
  eat(compensation ? 1 : 0);
  return h;
}

} // namespace moim::sagas
