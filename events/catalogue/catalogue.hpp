#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace moim::events {

/// The current schema version of every event type, by type name.
[[nodiscard]] const std::map<std::string, int>& current_versions();

/// Every (type, version) that can be read: current ones and those older
/// versions (and retired types) that upcasters turn into current events.
[[nodiscard]] std::vector<std::pair<std::string, int>> readable_versions();

} // namespace moim::events
