// Sessions: log in, refresh (rotating), log out.
#include "gateway/rest_support.hpp"

#include "actors/domain/user_aggregate.hpp"
#include "infra/auth/password.hpp"

namespace moim::gateway::rest {

using namespace moim::actors;

namespace {

http_response sessions_unavailable(const infra::error& e) {
  return http_response::error(503, "unavailable",
                              "the session store failed: " + e.message);
}

/// Answers with a new access token and `refresh` (a new session when
/// empty). Blocking (the session store): run it offloaded.
void issue_pair(const rest_context& ctx, const std::string& user,
                const reply_fn& reply, std::string refresh = {}) {
  auto access = ctx.tokens.issue(user);
  if (!access) {
    reply(http_response::error(503, "unavailable", access.err().message));
    return;
  }
  if (refresh.empty()) {
    auto opened = ctx.sessions.open(user);
    if (!opened) {
      reply(sessions_unavailable(opened.err()));
      return;
    }
    refresh = std::move(*opened);
  }
  reply(http_response::json(200, {{"access_token", *access},
                                  {"token_type", "Bearer"},
                                  {"expires_in", ctx.tokens.lifetime().count()},
                                  {"refresh_token", std::move(refresh)},
                                  {"user", user}}));
}

/// The "refresh_token" of the body.
std::optional<std::string> refresh_token_of(const http_request& req,
                                            const reply_fn& reply) {
  auto doc = body_of(req, reply);
  return doc ? text_field(*doc, "refresh_token", reply) : std::nullopt;
}

} // namespace

void add_session_routes(infra::router& routes, const rest_context& ctx) {
  routes.add(
    "POST", "/v1/sessions",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto doc = body_of(req, reply);
      if (!doc)
        return;
      auto credentials = credentials_of(*doc, reply);
      if (!credentials)
        return;
      auto id = user_id_for_username(credentials->first).value();
      ctx.bridge.query<credentials_reply>(
        events::aggregate_kind::user, id,
        credentials_query{events::user_id{id}},
        [ctx, reply, id,
         password = credentials->second](credentials_reply c) mutable {
          if (!c && c.err().code != rejection_code::not_found) {
            reply(rejected(c.err()));
            return;
          }
          std::string hash = c ? c->hash.reveal() : std::string{};
          bool active = c && !c->deactivated;
          ctx.offload([ctx, reply, id, hash, active, password]() mutable {
            // The same answer for an unknown user and a wrong password.
            if (!active || !infra::verify_password(hash, password)) {
              reply(http_response::error(401, "bad_credentials",
                                         "wrong username or password"));
              return;
            }
            issue_pair(ctx, id, reply);
          });
        });
    });

  routes.add(
    "POST", "/v1/sessions/refresh",
    [ctx](const http_request& req, reply_fn reply) mutable {
      auto token = refresh_token_of(req, reply);
      if (!token)
        return;
      ctx.offload([ctx, reply, token = *token] {
        auto rotated = ctx.sessions.rotate(token);
        if (!rotated) {
          reply(sessions_unavailable(rotated.err()));
          return;
        }
        if (!*rotated) {
          reply(http_response::error(401, "bad_refresh_token",
                                     "the refresh token is unknown, used or "
                                     "expired; log in again"));
          return;
        }
        issue_pair(ctx, (*rotated)->first, reply, (*rotated)->second);
      });
    });

  routes.add("DELETE", "/v1/sessions",
             [ctx](const http_request& req, reply_fn reply) mutable {
               if (!authenticate(ctx, req, reply))
                 return;
               auto token = refresh_token_of(req, reply);
               if (!token)
                 return;
               ctx.offload([ctx, reply, token = *token] {
                 auto revoked = ctx.sessions.revoke(token);
                 if (!revoked)
                   reply(sessions_unavailable(revoked.err()));
                 else
                   reply(http_response::json(200, {{"status", "logged out"}}));
               });
             });
}

} // namespace moim::gateway::rest
