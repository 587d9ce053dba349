#include "sagas/decide.hpp"

#include "events/catalogue/catalogue.hpp"
#include "events/vassert.hpp"
#include "projections/position.hpp"

#include <algorithm>
#include <limits>

namespace moim::sagas {

namespace {

constexpr auto never = std::numeric_limits<std::int64_t>::max();

const step_progress& progress(const saga_state& s, std::uint32_t i) {
  static const step_progress untouched;
  return i < s.steps.size() ? s.steps[i] : untouched;
}

std::vector<std::string> names_of(const saga_definition& d) {
  std::vector<std::string> out;
  out.reserve(d.steps.size());
  for (const auto& step : d.steps)
    out.push_back(step.name);
  return out;
}

std::int64_t retry_at(const saga_state& s, const retry_policy& policy,
                      std::uint32_t step, std::uint32_t attempt,
                      bool compensation, std::int64_t failed_at) {
  auto wait
    = policy.backoff(attempt, jitter_seed(s.id, step, attempt, compensation));
  return failed_at + wait.count();
}

std::string timed_out(std::chrono::milliseconds after) {
  return "timed out after " + std::to_string(after.count()) + " ms";
}

/// The forward steps: the first not done decides.
decision forward(const saga_state& s, const saga_definition& d,
                 std::int64_t now, bool in_flight) {
  auto saga = events::saga_id{s.id};
  const auto pivot = d.pivot();
  const auto deadline = s.started_at_ms + d.deadline.count();
  for (std::uint32_t i = 0; i < d.steps.size(); ++i) {
    const auto& p = progress(s, i);
    if (p.status == step_status::succeeded)
      continue;
    const auto& step = d.steps[i];
    // Past a pivot that succeeded there is no way back: only forward.
    const bool forward_only = pivot < d.steps.size() && i > pivot;
    const auto stop_at = forward_only ? never : deadline;
    if (!forward_only && now >= deadline)
      return record_event{events::saga_aborted{
        saga, "the saga's deadline (" + std::to_string(d.deadline.count())
                + " ms) passed at step '" + step.name + "'"}};
    switch (p.status) {
      case step_status::pending:
        return record_event{
          events::saga_step_dispatched{saga, i, step.name, 1}};
      case step_status::dispatched: {
        auto due = p.dispatched_at_ms + step.timeout.count();
        if (!in_flight)
          return send_step{i, false, p.attempts, due};
        if (now >= due)
          return record_event{events::saga_step_failed{
            saga, i, step.name, timed_out(step.timeout),
            forward_only || p.attempts < step.retry.max_attempts}};
        return wait_until{std::min(due, stop_at)};
      }
      case step_status::failed: {
        auto at = retry_at(s, step.retry, i, p.attempts, false, p.failed_at_ms);
        if (now >= at)
          return record_event{
            events::saga_step_dispatched{saga, i, step.name, p.attempts + 1}};
        return wait_until{std::min(at, stop_at)};
      }
      case step_status::given_up:
        return record_event{events::saga_aborted{
          saga, "step '" + step.name + "' failed: " + p.last_error}};
      default: break; // compensation states do not occur while running
    }
  }
  return record_event{events::saga_completed{saga}};
}

/// Whether the step may have taken effect, so that it needs undoing.
bool took_effect(const step_progress& p) {
  switch (p.status) {
    case step_status::succeeded:
    case step_status::compensating:
    case step_status::compensation_retry:
    case step_status::dispatched: return true;
    case step_status::failed:
    case step_status::given_up: return p.maybe_applied;
    default: return false;
  }
}

/// The compensations: the last step that took effect first.
decision backward(const saga_state& s, const saga_definition& d,
                  std::int64_t now, bool in_flight) {
  auto saga = events::saga_id{s.id};
  for (auto i = static_cast<std::uint32_t>(d.steps.size()); i-- > 0;) {
    const auto& p = progress(s, i);
    const auto& step = d.steps[i];
    if (!step.compensation || !took_effect(p))
      continue;
    const auto& policy = d.compensation_retry;
    switch (p.status) {
      case step_status::compensating: {
        auto due = p.dispatched_at_ms + step.timeout.count();
        if (!in_flight)
          return send_step{i, true, p.compensation_attempts, due};
        if (now >= due)
          return record_event{events::saga_compensation_failed{
            saga, i, step.name, timed_out(step.timeout)}};
        return wait_until{due};
      }
      case step_status::compensation_retry: {
        if (p.compensation_attempts >= policy.max_attempts)
          return record_event{
            events::saga_failed{saga, i,
                                "compensation of '" + step.name + "' failed "
                                  + std::to_string(p.compensation_attempts)
                                  + " times: " + p.last_error}};
        auto at = retry_at(s, policy, i, p.compensation_attempts, true,
                           p.failed_at_ms);
        if (now >= at)
          return record_event{
            events::saga_compensation_started{saga, i, step.name}};
        return wait_until{at};
      }
      default:
        return record_event{
          events::saga_compensation_started{saga, i, step.name}};
    }
  }
  return record_event{events::saga_compensated{saga}};
}

} // namespace

decision next_step(const saga_state& s, const saga_definition& d,
                   std::int64_t now_ms, bool in_flight) {
  if (!s.started || terminal(s.phase))
    return saga_done{};
  if (s.phase == saga_phase::compensating)
    return backward(s, d, now_ms, in_flight);
  return forward(s, d, now_ms, in_flight);
}

events::any_event outcome(const saga_state& s, const saga_definition& d,
                          std::uint32_t step, bool compensation,
                          const actors::command_reply& reply) {
  auto saga = events::saga_id{s.id};
  const auto& def = d.steps.at(step);
  const auto& p = progress(s, step);
  if (compensation) {
    if (reply || (def.already_undone && def.already_undone(reply.err())))
      return events::saga_compensation_succeeded{saga, step, def.name};
    return events::saga_compensation_failed{
      saga, step, def.name,
      std::string{actors::to_string(reply.err().code)} + ": "
        + reply.err().reason};
  }
  if (reply) {
    nlohmann::json output = nlohmann::json::object();
    if (def.output) {
      auto outputs = s.outputs(names_of(d));
      output = def.output({s.id, s.input, outputs}, *reply);
    } else if (reply->position) {
      output["position"] = projections::format_point(
        command_of(s, d, step, false).kind, *reply->position);
    }
    return events::saga_step_succeeded{saga, step, def.name, output};
  }
  const auto& why = reply.err();
  if (def.already_done && def.already_done(why))
    return events::saga_step_succeeded{saga, step, def.name,
                                       nlohmann::json::object()};
  const bool forward_only = d.pivot() < d.steps.size() && step > d.pivot();
  const bool retry
    = why.retryable() && (forward_only || p.attempts < def.retry.max_attempts);
  return events::saga_step_failed{
    saga, step, def.name,
    std::string{actors::to_string(why.code)} + ": " + why.reason, retry};
}

actors::command_envelope command_of(const saga_state& s,
                                    const saga_definition& d,
                                    std::uint32_t step, bool compensation) {
  const auto& def = d.steps.at(step);
  MOIM_VASSERT(compensation || std::holds_alternative<command_fn>(def.action),
               "%s: step '%s' waits; it has no command", d.type.c_str(),
               def.name.c_str());
  auto outputs = s.outputs(names_of(d));
  saga_context ctx{s.id, s.input, outputs};
  auto cmd = compensation ? def.compensation(ctx)
                          : std::get<command_fn>(def.action)(ctx);
  cmd.idempotency = events::idempotency_key{s.id + ":" + def.name
                                            + (compensation ? ":undo" : "")};
  cmd.correlation = events::correlation_id{s.id};
  return cmd;
}

bool past_deadline(const saga_state& s, const saga_definition& d,
                   std::int64_t now_ms) {
  return !terminal(s.phase) && now_ms >= s.started_at_ms + d.deadline.count();
}

} // namespace moim::sagas
