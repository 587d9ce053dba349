#include "actors/domain/saga_log_aggregate.hpp"

#include "events/catalogue/catalogue.hpp"

namespace moim::actors {

namespace {

/// The saga an event is of ("" when it is no saga's event).
std::string saga_of(const events::any_event& e) {
  return std::visit(
    [](const auto& x) -> std::string {
      using event = std::decay_t<decltype(x)>;
      if constexpr (event::aggregate == events::aggregate_kind::saga)
        return x.saga.value();
      else
        return {};
    },
    e);
}

bool ends(const events::any_event& e) {
  return std::holds_alternative<events::saga_completed>(e)
         || std::holds_alternative<events::saga_compensated>(e)
         || std::holds_alternative<events::saga_failed>(e);
}

} // namespace

decision saga_log_aggregate::decide(const saga_log_state& state,
                                    const std::string& id,
                                    const saga_command& command) {
  const auto& record = std::get<record_saga_events>(command);
  if (record.events.empty())
    return reject(rejection_code::invalid, "no saga events to record");
  auto s = state;
  for (const auto& e : record.events) {
    if (saga_of(e) != id)
      return reject(rejection_code::invalid, std::string{events::type_of(e)}
                                               + " is not an event of " + id);
    bool start = std::holds_alternative<events::saga_started>(e);
    if (start && s.started)
      return reject(rejection_code::already_exists,
                    "saga " + id + " has started already");
    if (!start && !s.started)
      return reject(rejection_code::not_found,
                    "saga " + id + " has not started");
    if (s.ended)
      return reject(rejection_code::closed, "saga " + id + " has ended");
    apply(s, e);
  }
  return record.events;
}

void saga_log_aggregate::apply(saga_log_state& state,
                               const events::any_event& event) {
  if (const auto* started = std::get_if<events::saga_started>(&event)) {
    state.started = true;
    state.type = started->saga_type;
  } else if (ends(event)) {
    state.ended = true;
  }
}

} // namespace moim::actors
