#pragma once

#include "sagas/definition.hpp"
#include "sagas/saga_state.hpp"

#include <cstdint>
#include <string>
#include <variant>

namespace moim::sagas {

// What the coordinator does next for a saga, decided from its state alone
// (so a coordinator that restarts or takes the saga over decides the
// same): it records an event in the saga's stream and decides again, or
// sends a step's command and waits for its outcome, or waits for a time.

/// Append this event to the saga's stream, then decide again.
struct record_event {
  events::any_event event;
};

/// The step's action (or its compensation) is due: send the command of
/// attempt `attempt` (again, after a restart: the idempotency key is the
/// same for every attempt, so the aggregate applies it once) and wait for
/// its outcome until `deadline_ms`.
struct send_step {
  std::uint32_t step = 0;
  bool compensation = false;
  std::uint32_t attempt = 1;
  std::int64_t deadline_ms = 0;
};

/// Nothing to do before this time (a retry's, a deadline).
struct wait_until {
  std::int64_t at_ms = 0;
};

/// The saga has ended (completed, compensated or failed).
struct saga_done {};

using decision = std::variant<record_event, send_step, wait_until, saga_done>;

/// `in_flight`: this coordinator has sent the pending attempt and waits for
/// its outcome. Before the pivot the saga's deadline stops it; forward
/// steps after the pivot retry without a limit (it counts as stuck once
/// past its deadline); compensations run last first, each retried, and a
/// saga whose compensation runs out of attempts fails for an operator.
[[nodiscard]] decision next_step(const saga_state& s, const saga_definition& d,
                                 std::int64_t now_ms, bool in_flight);

/// The event that records the outcome of the pending attempt of `step` (or
/// of its compensation): succeeded with its output, or failed, retryable
/// when the rejection is (the log was unavailable, another node owns the
/// aggregate) and attempts are left.
[[nodiscard]] events::any_event outcome(const saga_state& s,
                                        const saga_definition& d,
                                        std::uint32_t step, bool compensation,
                                        const actors::command_reply& reply);

/// The command of `step` (or its compensation) for `s`, with the saga's
/// idempotency key ("<saga>:<step>" or "<saga>:<step>:undo") and the saga
/// id as correlation.
[[nodiscard]] actors::command_envelope command_of(const saga_state& s,
                                                  const saga_definition& d,
                                                  std::uint32_t step,
                                                  bool compensation);

/// Whether the saga runs past its deadline (for the stuck count).
[[nodiscard]] bool past_deadline(const saga_state& s, const saga_definition& d,
                                 std::int64_t now_ms);

} // namespace moim::sagas
