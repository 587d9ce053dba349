// Counts over time, from the Postgres read model: a room's messages per
// minute, hour or day, and new users per day.
#include "gateway/rest_support.hpp"

#include "projections/postgres/read_model.hpp"

#include <chrono>
#include <limits>

namespace moim::gateway::rest {

namespace {

json counts_json(const std::vector<projections::count_at>& rows) {
  json out = json::array();
  for (const auto& r : rows)
    out.push_back({{"at_ms", r.at_ms}, {"count", r.count}});
  return out;
}

/// The longest range each step may cover (so an answer has at most a few
/// thousand points).
std::int64_t longest_ms(const std::string& step) {
  constexpr std::int64_t day = std::int64_t{24} * 3600 * 1000;
  if (step == "minute")
    return day;
  if (step == "hour")
    return 31 * day;
  return 366 * day;
}

} // namespace

void add_stats_routes(infra::router& routes, const rest_context& ctx) {
  // ?step=minute|hour|day (minute), ?from_ms=&to_ms= (the last hour).
  routes.add(
    "GET", "/v1/rooms/{id}/stats",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto me = authenticate(ctx, req, reply);
      if (!me)
        return;
      auto step = req.query_param("step").value_or("minute");
      if (step != "minute" && step != "hour" && step != "day") {
        reply(http_response::error(400, "invalid",
                                   "step must be minute, hour or day"));
        return;
      }
      constexpr auto most = std::numeric_limits<std::int64_t>::max();
      std::optional<std::uint64_t> from;
      std::optional<std::uint64_t> to;
      if (!number_param(req, "from_ms", most, from, reply)
          || !number_param(req, "to_ms", most, to, reply))
        return;
      auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
      auto to_ms = to ? static_cast<std::int64_t>(*to) : now;
      auto from_ms = from ? static_cast<std::int64_t>(*from)
                          : to_ms - std::int64_t{3600} * 1000;
      if (from_ms >= to_ms || to_ms - from_ms > longest_ms(step)) {
        reply(http_response::error(
          400, "invalid",
          "from_ms must be before to_ms, at most a day apart by minute, 31 "
          "days by hour, 366 days by day"));
        return;
      }
      auto room = req.param("id");
      with_visible_room(
        ctx, room, *me, reply,
        [ctx, reply, req, room, step, from_ms, to_ms](json&, std::uint64_t) {
          read_model_query<projections::postgres_read_model>(
            ctx, req, reply, postgres_of(ctx),
            [room, step, from_ms, to_ms](
              projections::postgres_read_model& reads) -> infra::result<json> {
              auto rows = reads.messages_over_time(room, from_ms, to_ms, step);
              if (!rows)
                return rows.err();
              return json{{"room", room},
                          {"step", step},
                          {"messages", counts_json(*rows)}};
            });
        });
    });

  // ?days= (1..366, 30).
  routes.add(
    "GET", "/v1/stats/new-users",
    [ctx](const http_request& req, reply_fn reply) mutable {
      if (!authenticate(ctx, req, reply))
        return;
      std::optional<std::uint64_t> days;
      if (!number_param(req, "days", 366, days, reply))
        return;
      if (days && *days == 0) {
        reply(http_response::error(400, "invalid", "days must be 1 to 366"));
        return;
      }
      read_model_query<projections::postgres_read_model>(
        ctx, req, reply, postgres_of(ctx),
        [n = static_cast<int>(days.value_or(30))](
          projections::postgres_read_model& reads) -> infra::result<json> {
          auto rows = reads.new_users(n);
          if (!rows)
            return rows.err();
          return json{{"days", counts_json(*rows)}};
        });
    });
}

} // namespace moim::gateway::rest
