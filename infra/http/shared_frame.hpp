#pragma once

#include <memory>
#include <string>

namespace moim::infra {

/// A frame's bytes, made once and shared by every connection it is sent
/// to (a room event fanned out to its subscribers is serialized once).
using shared_frame = std::shared_ptr<const std::string>;

[[nodiscard]] inline shared_frame make_frame(std::string bytes) {
  return std::make_shared<const std::string>(std::move(bytes));
}

} // namespace moim::infra
