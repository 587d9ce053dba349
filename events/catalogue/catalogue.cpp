#include "events/catalogue/catalogue.hpp"

#include "events/catalogue/any_event.hpp"
#include "events/upcasting/upcasters.hpp"

namespace moim::events {

namespace {

template<class... Ts>
std::map<std::string, int> versions_of(std::variant<Ts...>*) {
  return {{Ts::type, Ts::version}...};
}

} // namespace

const char* type_of(const any_event& event) {
  return std::visit(
    [](const auto& e) {
      return std::decay_t<decltype(e)>::type;
    },
    event);
}

aggregate_kind kind_of(const any_event& event) {
  return std::visit(
    [](const auto& e) {
      return std::decay_t<decltype(e)>::aggregate;
    },
    event);
}

const std::map<std::string, int>& current_versions() {
  static const auto versions = versions_of(static_cast<any_event*>(nullptr));
  return versions;
}

std::vector<std::pair<std::string, int>> readable_versions() {
  std::vector<std::pair<std::string, int>> out(current_versions().begin(),
                                               current_versions().end());
  for (const auto& entry : upcasters())
    out.emplace_back(entry.type, entry.from_version);
  return out;
}

} // namespace moim::events
