#pragma once

#include "events/catalogue/any_event.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace moim::sagas {

enum class saga_phase {
  running,      ///< forward steps
  compensating, ///< undoing the completed steps, last first
  completed,    ///< terminal: every step done
  compensated,  ///< terminal: every completed step undone
  failed,       ///< terminal: a compensation kept failing; for an operator
};

[[nodiscard]] const char* to_string(saga_phase phase);

[[nodiscard]] inline bool terminal(saga_phase p) {
  return p == saga_phase::completed || p == saga_phase::compensated
         || p == saga_phase::failed;
}

enum class step_status {
  pending,            ///< not tried yet
  dispatched,         ///< an attempt is out, no outcome yet
  failed,             ///< the last attempt failed, retryable
  given_up,           ///< failed for good: the saga compensates
  succeeded,          ///< done (its output kept)
  compensating,       ///< an attempt at undoing it is out
  compensation_retry, ///< the last undo attempt failed
  compensated,        ///< undone
};

[[nodiscard]] const char* to_string(step_status status);

struct step_progress {
  step_status status = step_status::pending;
  std::uint32_t attempts = 0;              ///< forward attempts made
  std::uint32_t compensation_attempts = 0; ///< undo attempts made
  std::int64_t dispatched_at_ms = 0;       ///< of the latest attempt
  std::int64_t failed_at_ms = 0;           ///< of the latest failure
  /// An attempt that timed out may have taken effect, so a given-up step
  /// whose last attempt timed out is compensated too.
  bool maybe_applied = false;
  std::string last_error;
  nlohmann::json output;
};

/// A saga's progress, folded from its events (apply): the coordinator
/// decides from it (next_step), inspection shows it.
struct saga_state {
  std::string id;
  std::string type;
  int version = 0;
  std::string key;
  nlohmann::json input = nlohmann::json::object();
  bool started = false;
  saga_phase phase = saga_phase::running;
  std::int64_t started_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::vector<step_progress> steps;
  std::string reason; ///< why it compensates or failed
  std::uint64_t events = 0;

  /// The outputs of the succeeded steps, by step name (`names`: the
  /// definition's step names, by index).
  [[nodiscard]] std::map<std::string, nlohmann::json>
  outputs(const std::vector<std::string>& names) const;
};

/// Folds one of the saga's events, stored at `at_ms`, into `s`. Events
/// that are not a saga's are ignored.
void apply(saga_state& s, const events::any_event& e, std::int64_t at_ms);

} // namespace moim::sagas
