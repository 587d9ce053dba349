// Notifications: the list (with read marks) from the Postgres read model,
// and marking them read (a command of the user aggregate).
#include "gateway/rest_support.hpp"

#include "projections/postgres/read_model.hpp"

namespace moim::gateway::rest {

void add_notification_routes(infra::router& routes, const rest_context& ctx) {
  // ?before=<id> (older than it; default: the newest), ?limit= (1..100, 50).
  routes.add(
    "GET", "/v1/notifications",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto me = authenticate(ctx, req, reply);
      if (!me)
        return;
      auto before = req.query_param("before").value_or("");
      if (before.size() > 64) {
        reply(http_response::error(400, "invalid",
                                   "before must be a notification id"));
        return;
      }
      std::optional<std::uint64_t> limit;
      if (!number_param(req, "limit", 100, limit, reply))
        return;
      if (limit && *limit == 0) {
        reply(http_response::error(400, "invalid", "limit must be 1 to 100"));
        return;
      }
      read_model_query<projections::postgres_read_model>(
        ctx, req, reply, postgres_of(ctx),
        [me = *me, before, n = limit.value_or(50)](
          projections::postgres_read_model& reads) -> infra::result<json> {
          auto page = reads.notifications(me, before, n);
          if (!page)
            return page.err();
          json items = json::array();
          for (const auto& row : page->items) {
            auto frame = json::parse(row.frame, nullptr, false);
            if (frame.is_discarded())
              continue;
            frame["read"] = row.read;
            items.push_back(std::move(frame));
          }
          return json{
            {"notifications", items},
            {"unread", page->unread},
            {"unread_capped",
             page->unread >= projections::notification_page::unread_cap}};
        });
    });

  // {"up_to": id}: every notification up to it is read.
  routes.add("POST", "/v1/notifications/read",
             [ctx](const http_request& req, reply_fn reply) mutable {
               auto me = authenticate(ctx, req, reply);
               if (!me)
                 return;
               auto doc = body_of(req, reply);
               if (!doc)
                 return;
               auto up_to = text_field(*doc, "up_to", reply);
               if (!up_to)
                 return;
               command(ctx, to_user(*me, mark_notifications_read{*up_to}), 200,
                       std::move(reply), no_view);
             });
}

} // namespace moim::gateway::rest
