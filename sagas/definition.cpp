#include "sagas/definition.hpp"

#include <set>

namespace moim::sagas {

std::optional<std::uint32_t>
saga_definition::step_index(const std::string& name) const {
  for (std::uint32_t i = 0; i < steps.size(); ++i)
    if (steps[i].name == name)
      return i;
  return std::nullopt;
}

std::uint32_t saga_definition::pivot() const {
  for (std::uint32_t i = 0; i < steps.size(); ++i)
    if (steps[i].pivot)
      return i;
  return static_cast<std::uint32_t>(steps.size());
}

std::optional<std::string> invalid(const saga_definition& d) {
  if (d.type.empty())
    return "a saga definition needs a type";
  if (d.steps.empty())
    return d.type + ": a saga needs at least one step";
  if (d.version < 1)
    return d.type + ": versions start at 1";
  std::set<std::string> names;
  auto pivot = d.pivot();
  for (std::uint32_t i = 0; i < d.steps.size(); ++i) {
    const auto& step = d.steps[i];
    if (step.name.empty() || !names.insert(step.name).second)
      return d.type + ": step names must be set and unique ('" + step.name
             + "')";
    if (step.compensation && i >= pivot)
      return d.type + ": step '" + step.name
             + "' is at or after the pivot, so it cannot be compensated";
    if (step.retry.max_attempts == 0)
      return d.type + ": step '" + step.name + "' needs at least one attempt";
    if (const auto* wait = std::get_if<wait_for_projections>(&step.action)) {
      auto from = d.step_index(wait->position_of);
      if (!from || *from >= i)
        return d.type + ": step '" + step.name
               + "' waits on a position of an earlier step, not '"
               + wait->position_of + "'";
      if (wait->projections.empty())
        return d.type + ": step '" + step.name + "' waits for no projection";
    } else if (!std::get<command_fn>(step.action)) {
      return d.type + ": step '" + step.name + "' has no action";
    }
  }
  if (d.compensation_retry.max_attempts == 0)
    return d.type + ": compensations need at least one attempt";
  return std::nullopt;
}

std::optional<std::string> saga_catalogue::add(saga_definition definition) {
  if (auto why = invalid(definition))
    return why;
  auto key = std::pair{definition.type, definition.version};
  if (definitions_.count(key) != 0)
    return definition.type + " v" + std::to_string(definition.version)
           + " is defined already";
  definitions_.emplace(std::move(key), std::make_shared<const saga_definition>(
                                         std::move(definition)));
  return std::nullopt;
}

const saga_definition* saga_catalogue::find(const std::string& type,
                                            int version) const {
  auto found = definitions_.find({type, version});
  return found == definitions_.end() ? nullptr : found->second.get();
}

const saga_definition* saga_catalogue::latest(const std::string& type) const {
  auto after = definitions_.lower_bound({type + '\0', 0});
  if (after == definitions_.begin())
    return nullptr;
  auto last = std::prev(after);
  return last->first.first == type ? last->second.get() : nullptr;
}

} // namespace moim::sagas
