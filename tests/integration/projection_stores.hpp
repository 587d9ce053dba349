#pragma once

#include "projections/projection.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace moim::test {

/// A read model of the crash test, by store ("postgres", "redis",
/// "search"): how to make its projection over `topic` in the namespace
/// `ns` (the Postgres schema, the Redis key prefix, the index prefix; also
/// the projection's name), and what it holds.
struct projection_store {
  std::string store;
  std::string url; ///< from the stack (MOIM_POSTGRES_URL, ...)

  [[nodiscard]] std::shared_ptr<projections::projection>
  make(const std::string& ns, const std::string& topic) const;

  /// Messages applied, as the store counts them (-1: nothing there yet):
  /// rows (Postgres), the rooms' message counters summed (Redis: an event
  /// applied twice counts twice), documents (search).
  [[nodiscard]] std::int64_t applied(const std::string& ns) const;

  /// A digest of the messages the store holds, in order.
  [[nodiscard]] std::string digest(const std::string& ns) const;

  void drop(const std::string& ns) const;
};

} // namespace moim::test
