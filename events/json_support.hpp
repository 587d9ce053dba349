#pragma once

#include "events/named_type.hpp"

#include <nlohmann/json.hpp>

namespace moim::events {

// Strong types appear in JSON as their underlying value.

template<class T, class Tag>
void to_json(nlohmann::json& j, const named_type<T, Tag>& x) {
  j = x.value();
}

template<class T, class Tag>
void from_json(const nlohmann::json& j, named_type<T, Tag>& x) {
  x = named_type<T, Tag>{j.get<T>()};
}

} // namespace moim::events
