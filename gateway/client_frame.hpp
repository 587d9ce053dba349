#pragma once

#include "events/expected.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace moim::gateway {

// What a WebSocket client may send on /v1/ws, one struct per frame type.

struct auth_request {
  std::string token;
};
struct subscribe_request {
  std::string room;
  std::optional<std::uint64_t> last_seq; ///< absent: nothing to recover
};
struct unsubscribe_request {
  std::string room;
};
struct post_request {
  std::string room;
  std::string text;
  std::string client_message_id; ///< "" : not idempotent
};
struct typing_request {
  std::string room;
};
using client_frame
  = std::variant<auth_request, subscribe_request, unsubscribe_request,
                 post_request, typing_request>;

/// Why a frame was refused: the code and message of the error frame.
struct frame_error {
  std::string code; ///< bad_json, unknown_operation, missing_field, ...
  std::string message;
};

/// Parses one client frame: a JSON object with a "type" and that type's
/// fields, each of the right JSON type and within its size limit. Never
/// throws; anything else is a frame_error naming what is wrong.
[[nodiscard]] events::expected<client_frame, frame_error>
parse_client_frame(std::string_view text);

} // namespace moim::gateway
