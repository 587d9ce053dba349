#pragma once

#include "projections/projection.hpp"

#include <memory>
#include <string>

namespace moim::projections {

struct postgres_projection_options {
  std::string url;               ///< libpq URI
  std::string name = "postgres"; ///< its checkpoints' and group's name
  std::chrono::milliseconds connect_timeout{5000};
  /// The topics it reads; empty: Moim's users, rooms and schedules.
  std::vector<std::string> topics;
  /// The Postgres schema of its tables (made if missing); empty: the
  /// connection's search_path (public).
  std::string schema;
};

/// The relational read model (users, rooms, memberships, messages, friends,
/// schedules, counts over time) in Postgres. Migrates the schema when it
/// first connects; each batch is one transaction that first moves the
/// batch's checkpoints (locking their rows, so two runners of one
/// partition are serialized and the later one finds it moved on) and then
/// applies the events with prepared statements.
class postgres_projection : public projection {
public:
  explicit postgres_projection(postgres_projection_options options);
  ~postgres_projection() override;

  postgres_projection(const postgres_projection&) = delete;
  postgres_projection& operator=(const postgres_projection&) = delete;

  [[nodiscard]] const std::string& name() const override;
  [[nodiscard]] std::vector<std::string> topics() const override;
  [[nodiscard]] infra::result<checkpoints> load_checkpoints() override;
  [[nodiscard]] infra::result<applied> apply(const batch& b) override;

private:
  /// The connection, made (and the schema migrated, the statements
  /// prepared) if there is none. Throws pqxx's exceptions.
  struct session;
  session& connection();

  postgres_projection_options options_;
  std::unique_ptr<session> conn_;
};

} // namespace moim::projections
