#pragma once

#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace moim::projections {

/// One step of the read model's schema. Steps are applied in order, each
/// once, and recorded in moim_schema_migrations; a released step never
/// changes (a fix is a new step).
struct migration {
  int version;
  std::string name;
  std::string sql;
};

/// Every step, oldest first.
[[nodiscard]] const std::vector<migration>& postgres_migrations();

/// Applies the steps `conn`'s database lacks, in one transaction under an
/// advisory lock (nodes starting together migrate once). The versions it
/// applied. Throws pqxx's exceptions.
std::vector<int> migrate(pqxx::connection_base& conn);

} // namespace moim::projections
