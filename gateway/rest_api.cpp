#include "gateway/rest_api.hpp"

#include "gateway/rest_support.hpp"

namespace moim::gateway {

using namespace moim::actors;

void add_rest_routes(infra::router& routes, rest_context ctx) {
  rest::add_user_routes(routes, ctx);
  rest::add_session_routes(routes, ctx);
  rest::add_room_routes(routes, ctx);
  rest::add_message_routes(routes, ctx);
  rest::add_schedule_routes(routes, ctx);
  rest::add_search_routes(routes, ctx);
  rest::add_notification_routes(routes, ctx);
  rest::add_stats_routes(routes, ctx);
}

} // namespace moim::gateway
