#include "gateway/client_frame.hpp"

#include <nlohmann/json.hpp>

namespace moim::gateway {

namespace {

using nlohmann::json;
using result = events::expected<client_frame, frame_error>;

constexpr std::size_t max_id_bytes = 200; ///< room ids

/// A string field of at most `max` bytes; "" when optional and absent.
events::expected<std::string, frame_error>
text(const json& doc, const char* key, bool required, std::size_t max) {
  auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) {
    if (required)
      return frame_error{"missing_field",
                         std::string{"'"} + key + "' is required"};
    return std::string{};
  }
  if (!it->is_string())
    return frame_error{"wrong_type",
                       std::string{"'"} + key + "' must be a string"};
  auto value = it->get<std::string>();
  if (value.size() > max || (required && value.empty()))
    return frame_error{"invalid", std::string{"'"} + key + "' must be 1 to "
                                    + std::to_string(max) + " bytes"};
  return value;
}

result subscribe(const json& doc) {
  auto room = text(doc, "room", true, max_id_bytes);
  if (!room)
    return room.err();
  subscribe_request req{*room, std::nullopt};
  auto last = doc.find("last_seq");
  if (last != doc.end() && !last->is_null()) {
    if (!last->is_number_unsigned())
      return frame_error{"wrong_type",
                         "'last_seq' must be a non-negative integer"};
    req.last_seq = last->get<std::uint64_t>();
  }
  return client_frame{req};
}

result post(const json& doc) {
  auto room = text(doc, "room", true, max_id_bytes);
  if (!room)
    return room.err();
  // The room decides on the text's length; the frame limit bounds it here.
  auto body = text(doc, "text", true, std::string::npos);
  if (!body)
    return body.err();
  // Like the text, the client's message id is the room's to judge (one
  // limit for REST and WebSocket); the frame limit bounds it here.
  auto id = text(doc, "client_message_id", false, std::string::npos);
  if (!id)
    return id.err();
  return client_frame{post_request{*room, *body, *id}};
}

template<class Request>
result room_only(const json& doc) {
  auto room = text(doc, "room", true, max_id_bytes);
  if (!room)
    return room.err();
  return client_frame{Request{*room}};
}

} // namespace

result parse_client_frame(std::string_view raw) {
  auto doc = json::parse(raw, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return frame_error{"bad_json", "a frame must be a JSON object"};
  auto type = text(doc, "type", true, 32);
  if (!type)
    return type.err();
  if (*type == "auth") {
    auto token = text(doc, "token", true, 4096);
    if (!token)
      return token.err();
    return client_frame{auth_request{*token}};
  }
  if (*type == "subscribe")
    return subscribe(doc);
  if (*type == "unsubscribe")
    return room_only<unsubscribe_request>(doc);
  if (*type == "send")
    return post(doc);
  if (*type == "typing")
    return room_only<typing_request>(doc);
  return frame_error{"unknown_operation",
                     "unknown frame type '" + *type
                       + "'; use auth, subscribe, unsubscribe, send or typing"};
}

} // namespace moim::gateway
