#include "sagas/saga_state.hpp"

#include "events/catalogue/catalogue.hpp"

namespace moim::sagas {

const char* to_string(saga_phase phase) {
  switch (phase) {
    case saga_phase::running: return "running";
    case saga_phase::compensating: return "compensating";
    case saga_phase::completed: return "completed";
    case saga_phase::compensated: return "compensated";
    case saga_phase::failed: return "failed";
  }
  return "?";
}

const char* to_string(step_status status) {
  switch (status) {
    case step_status::pending: return "pending";
    case step_status::dispatched: return "dispatched";
    case step_status::failed: return "failed";
    case step_status::given_up: return "given_up";
    case step_status::succeeded: return "succeeded";
    case step_status::compensating: return "compensating";
    case step_status::compensation_retry: return "compensation_retry";
    case step_status::compensated: return "compensated";
  }
  return "?";
}

std::map<std::string, nlohmann::json>
saga_state::outputs(const std::vector<std::string>& names) const {
  std::map<std::string, nlohmann::json> out;
  for (std::size_t i = 0; i < steps.size() && i < names.size(); ++i)
    if (steps[i].status == step_status::succeeded
        || steps[i].status == step_status::compensating
        || steps[i].status == step_status::compensation_retry)
      out[names[i]] = steps[i].output;
  return out;
}

namespace {

/// The fold, one event type at a time.
struct folder {
  saga_state& s;
  std::int64_t at;

  step_progress& step(std::uint32_t i) {
    if (s.steps.size() <= i)
      s.steps.resize(i + 1);
    return s.steps[i];
  }

  void operator()(const events::saga_started& e) {
    s.id = e.saga.value();
    s.type = e.saga_type;
    s.version = e.definition_version;
    s.key = e.key;
    s.input = e.input;
    s.started = true;
    s.started_at_ms = at;
  }
  void operator()(const events::saga_step_dispatched& e) {
    auto& p = step(e.step);
    p.status = step_status::dispatched;
    p.attempts = e.attempt;
    p.dispatched_at_ms = at;
  }
  void operator()(const events::saga_step_succeeded& e) {
    auto& p = step(e.step);
    p.status = step_status::succeeded;
    p.output = e.output;
    p.last_error.clear();
  }
  void operator()(const events::saga_step_failed& e) {
    auto& p = step(e.step);
    p.status = e.retryable ? step_status::failed : step_status::given_up;
    p.failed_at_ms = at;
    p.last_error = e.reason;
    p.maybe_applied = e.reason.rfind("timed out", 0) == 0;
  }
  void operator()(const events::saga_aborted& e) {
    s.phase = saga_phase::compensating;
    s.reason = e.reason;
  }
  void operator()(const events::saga_compensation_started& e) {
    auto& p = step(e.step);
    p.status = step_status::compensating;
    ++p.compensation_attempts;
    p.dispatched_at_ms = at;
  }
  void operator()(const events::saga_compensation_succeeded& e) {
    step(e.step).status = step_status::compensated;
  }
  void operator()(const events::saga_compensation_failed& e) {
    auto& p = step(e.step);
    p.status = step_status::compensation_retry;
    p.failed_at_ms = at;
    p.last_error = e.reason;
  }
  void operator()(const events::saga_completed&) {
    s.phase = saga_phase::completed;
  }
  void operator()(const events::saga_compensated&) {
    s.phase = saga_phase::compensated;
  }
  void operator()(const events::saga_failed& e) {
    s.phase = saga_phase::failed;
    s.reason = e.reason;
  }
  template<class Other>
  void operator()(const Other&) {
    // not a saga's event
  }
};

} // namespace

void apply(saga_state& s, const events::any_event& e, std::int64_t at_ms) {
  if (events::kind_of(e) != events::aggregate_kind::saga)
    return;
  std::visit(folder{s, at_ms}, e);
  s.updated_at_ms = at_ms;
  ++s.events;
}

} // namespace moim::sagas
