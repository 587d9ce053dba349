// Fuzzes the WebSocket frame parser: any bytes give a frame or an error,
// never a crash, and a parsed frame respects the parser's limits.
#include "gateway/client_frame.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

void require(bool ok) {
  if (!ok)
    __builtin_trap();
}

void check_room(const std::string& room) {
  require(!room.empty() && room.size() <= 200);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace moim::gateway;
  auto frame = parse_client_frame(
    std::string_view{reinterpret_cast<const char*>(data), size});
  if (!frame) {
    require(!frame.err().code.empty() && !frame.err().message.empty());
    return 0;
  }
  std::visit(
    [](const auto& req) {
      using T = std::decay_t<decltype(req)>;
      if constexpr (std::is_same_v<T, auth_request>)
        require(!req.token.empty());
      else if constexpr (std::is_same_v<T, post_request>)
        check_room(req.room), require(!req.text.empty()),
          require(req.client_message_id.size() <= 200);
      else
        check_room(req.room);
    },
    *frame);
  return 0;
}
