#pragma once

#include "actors/domain/commands.hpp"
#include "actors/domain/decision.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace moim::actors {

/// A saga's own stream (topic moim.sagas, keyed by saga id), hosted like
/// the aggregates so that a saga lives with its partition: fenced,
/// checkpointed, idempotent. What the saga does next the coordinator
/// decides (sagas/); the stream keeps only what it needs to refuse events
/// that do not fit, a few fields whatever the saga's length.
struct saga_log_state {
  bool started = false;
  bool ended = false; ///< completed, compensated or failed
  std::string type;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(saga_log_state, started, ended, type)

struct saga_log_aggregate {
  using state_type = saga_log_state;
  using command_type = saga_command;
  static constexpr events::aggregate_kind kind = events::aggregate_kind::saga;

  [[nodiscard]] static decision decide(const saga_log_state& state,
                                       const std::string& id,
                                       const saga_command& command);

  static void apply(saga_log_state& state, const events::any_event& event);
};

} // namespace moim::actors
