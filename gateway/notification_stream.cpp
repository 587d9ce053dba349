#include "gateway/notification_stream.hpp"

#include "gateway/notification_hub.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

namespace moim::gateway {

using namespace moim::actors;

namespace {

using nlohmann::json;
using beat_atom = caf::atom_constant<caf::atom("beat")>;
using expired_atom = caf::atom_constant<caf::atom("expired")>;
using gone_atom = caf::atom_constant<caf::atom("gone")>;

/// An SSE stream's actor: notices from the hub, and its own timers.
using sse_actor = notice_listener::extend<caf::reacts_to<beat_atom>,
                                          caf::reacts_to<expired_atom>,
                                          caf::reacts_to<gone_atom>>;

struct stream_state {
  std::shared_ptr<infra::event_stream> stream;
  static inline const char* name = "moim.sse_connection";
};

using stream_pointer = sse_actor::stateful_pointer<stream_state>;

void emit(stream_pointer self, std::string chunk) {
  if (!self->state.stream->send(std::move(chunk)))
    self->quit(); // the client does not read: the stream is closed
}

sse_actor::behavior_type
sse_connection(stream_pointer self, std::shared_ptr<infra::event_stream> stream,
               const infra::token_claims& claims, std::string last_id,
               notification_hub_actor hub,
               notification_stream_options options) {
  self->state.stream = std::move(stream);
  // At once: proxies and load balancers drop a response that stays silent.
  emit(self, "retry: 3000\n"
               + infra::sse_event("", "ready",
                                  json{{"user", claims.subject}}.dump()));
  notice_listener me = caf::actor_cast<notice_listener>(self);
  self
    ->request(hub, caf::infinite, listen_atom::value, me, claims.subject,
              last_id)
    .then(
      [self](listen_reply& reply) {
        if (!reply.recovered)
          emit(self, infra::sse_event("", "reset", "{}"));
        for (auto& [id, frame] : reply.missed)
          emit(self, infra::sse_event(id, "notification", frame));
      },
      [self](caf::error& err) {
        emit(self, infra::sse_event("", "error", caf::to_string(err)));
        self->state.stream->close();
        self->quit();
      });
  self->delayed_send(self, options.heartbeat, beat_atom::value);
  self->delayed_send(self, time_left(claims), expired_atom::value);
  return {
    [self](notice_atom, const std::string& id, const std::string& frame) {
      emit(self, infra::sse_event(id, "notification", frame));
    },
    [self, options](beat_atom) {
      emit(self, infra::sse_comment("heartbeat"));
      self->delayed_send(self, options.heartbeat, beat_atom::value);
    },
    [self, claims](expired_atom) {
      if (!claims.expired()) { // the timer ran ahead of the clock
        self->delayed_send(self, std::chrono::milliseconds{100},
                           expired_atom::value);
        return;
      }
      emit(self,
           infra::sse_event("", "token_expired",
                            R"({"message":"reconnect with a new token"})"));
      self->state.stream->close();
      self->quit();
    },
    [self](gone_atom) {
      self->quit();
    },
  };
}

} // namespace

infra::result<infra::token_claims>
stream_credentials(const infra::token_issuer& tokens,
                   const infra::http_request& req) {
  if (auto token = req.query_param("token"))
    return tokens.verify(*token);
  auto header = req.header("authorization");
  const std::string scheme = "Bearer ";
  if (header && header->rfind(scheme, 0) == 0)
    return tokens.verify(header->substr(scheme.size()));
  return infra::error{infra::errc::invalid,
                      "send the access token as ?token=... or as "
                      "Authorization: Bearer"};
}

std::chrono::milliseconds time_left(const infra::token_claims& claims) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto left = std::chrono::seconds{claims.expires_at}
              - std::chrono::duration_cast<std::chrono::milliseconds>(now);
  return std::max(std::chrono::milliseconds{0}, left);
}

infra::event_stream_accept_fn
notification_stream(caf::actor_system& sys, const infra::token_issuer& tokens,
                    notification_hub_actor hub,
                    notification_stream_options options,
                    std::function<void(caf::actor)> track) {
  return [&sys, &tokens, hub, options,
          track](const infra::http_request& req,
                 std::shared_ptr<infra::event_stream> stream)
           -> std::variant<infra::event_stream_handlers, infra::http_response> {
    auto claims = stream_credentials(tokens, req);
    if (!claims)
      return infra::http_response::error(401, "unauthenticated",
                                         claims.err().message);
    auto last_id = req.header("last-event-id")
                     .value_or(req.query_param("last_event_id").value_or(""));
    auto actor
      = sys.spawn(sse_connection, stream, *claims, last_id, hub, options);
    if (track)
      track(caf::actor_cast<caf::actor>(actor));
    return infra::event_stream_handlers{{}, [actor] {
                                          caf::anon_send(actor,
                                                         gone_atom::value);
                                        }};
  };
}

} // namespace moim::gateway
