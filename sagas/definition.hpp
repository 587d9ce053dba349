#pragma once

#include "actors/port.hpp"
#include "sagas/retry_policy.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace moim::sagas {

/// What a saga knows when it makes a step's command: its id, its input and
/// the outputs of the steps done so far, by step name.
struct saga_context {
  const std::string& saga;
  const nlohmann::json& input;
  const std::map<std::string, nlohmann::json>& outputs;
};

/// A command to an aggregate, made from the saga's context. The
/// coordinator sets its idempotency key (saga id and step, the same for
/// every attempt) and correlation (the saga id).
using command_fn = std::function<actors::command_envelope(const saga_context&)>;

/// What an accepted command leaves for later steps; unset: its log
/// position ({"position": "<topic>:<partition>:<offset>"}).
using output_fn = std::function<nlohmann::json(const saga_context&,
                                               const actors::command_result&)>;

/// A read-your-writes step: waits until each named projection ("postgres",
/// "search", "redis") has applied the position an earlier step's output
/// holds ({"position": ...}).
struct wait_for_projections {
  std::vector<std::string> projections;
  std::string position_of; ///< the earlier step's name
};

struct step_definition {
  std::string name;
  std::variant<command_fn, wait_for_projections> action;
  /// Undoes the step; unset: nothing to undo (a wait, a check).
  command_fn compensation;
  output_fn output;
  std::chrono::milliseconds timeout{5000};
  retry_policy retry;
  /// After the pivot there are no compensations, only forward retries.
  bool pivot = false;
  /// A refusal that means the effect is there already (join twice:
  /// already_member): the step counts as done.
  std::function<bool(const actors::rejection&)> already_done;
  /// A refusal of the compensation that means there is nothing to undo
  /// (leave when not a member): the step counts as compensated.
  std::function<bool(const actors::rejection&)> already_undone;
};

/// Ordered steps; a version per change of them, and sagas in flight finish
/// on the version they started on.
struct saga_definition {
  std::string type;
  int version = 1;
  std::vector<step_definition> steps;
  /// From the start: past it, a saga before its pivot stops and
  /// compensates; after it, it goes on and counts as stuck.
  std::chrono::milliseconds deadline{60000};
  /// Each compensation's attempts; when they run out the saga fails for an
  /// operator to resolve.
  retry_policy compensation_retry;

  [[nodiscard]] std::optional<std::uint32_t>
  step_index(const std::string& name) const;

  /// The first pivot step, or steps.size() when there is none.
  [[nodiscard]] std::uint32_t pivot() const;
};

/// Why a definition cannot run: no type or steps, step names not unique,
/// a compensation at or after the pivot, a wait on a later step.
[[nodiscard]] std::optional<std::string>
invalid(const saga_definition& definition);

/// The definitions a coordinator runs, by type and version.
class saga_catalogue {
public:
  /// Fails (naming why) for an invalid definition or a version taken.
  [[nodiscard]] std::optional<std::string> add(saga_definition definition);

  [[nodiscard]] const saga_definition* find(const std::string& type,
                                            int version) const;

  /// The newest version of `type`, for new sagas.
  [[nodiscard]] const saga_definition* latest(const std::string& type) const;

private:
  std::map<std::pair<std::string, int>, std::shared_ptr<const saga_definition>>
    definitions_;
};

} // namespace moim::sagas
