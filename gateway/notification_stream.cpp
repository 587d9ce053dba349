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
using stored_atom = caf::atom_constant<caf::atom("stored")>;

/// An SSE stream's actor: notices from the hub, and its own timers.
using sse_actor = notice_listener::extend<
  caf::reacts_to<beat_atom>, caf::reacts_to<expired_atom>,
  caf::reacts_to<gone_atom>,
  caf::reacts_to<stored_atom, std::optional<stored_notifications>>>;

struct stream_state {
  std::shared_ptr<infra::event_stream> stream;
  /// While the store is asked what was missed, live notices wait here (at
  /// most kept_while_recovering; more and the oldest go).
  bool recovering = false;
  stored_notifications held;
  listen_reply from_hub;
  std::string asked_after; ///< the Last-Event-ID being recovered
  std::string last_sent;   ///< ids grow: nothing at or below it is sent again
  static inline const char* name = "moim.sse_connection";
};

constexpr std::size_t kept_while_recovering = 1000;

using stream_pointer = sse_actor::stateful_pointer<stream_state>;

void emit(stream_pointer self, std::string chunk) {
  if (!self->state.stream->send(std::move(chunk)))
    self->quit(); // the client does not read: the stream is closed
}

void notify(stream_pointer self, const std::string& id,
            const std::string& frame) {
  auto& st = self->state;
  if (!st.last_sent.empty() && id <= st.last_sent)
    return; // sent already (from the store, then live)
  st.last_sent = id;
  emit(self, infra::sse_event(id, "notification", frame));
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
      [self, lookup = options.lookup, user = claims.subject,
       last_id](listen_reply& reply) {
        if (!reply.recovered && lookup && !last_id.empty()) {
          // The hub cannot vouch for last_id: perhaps the store can.
          self->state.recovering = true;
          self->state.from_hub = std::move(reply);
          self->state.asked_after = last_id;
          lookup(user, last_id,
                 [me = caf::actor_cast<caf::actor>(self)](
                   std::optional<stored_notifications> found) {
                   caf::anon_send(me, stored_atom::value, std::move(found));
                 });
          return;
        }
        if (!reply.recovered)
          emit(self, infra::sse_event("", "reset", "{}"));
        for (auto& [id, frame] : reply.missed)
          notify(self, id, frame);
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
      auto& st = self->state;
      if (st.recovering) {
        if (st.held.size() >= kept_while_recovering)
          st.held.erase(st.held.begin());
        st.held.emplace_back(id, frame);
        return;
      }
      notify(self, id, frame);
    },
    [self](stored_atom, std::optional<stored_notifications>& found) {
      auto& st = self->state;
      st.recovering = false;
      if (found) {
        st.last_sent = st.asked_after;
        for (auto& [id, frame] : *found)
          notify(self, id, frame);
        // The hub hears of notifications before the store holds them.
        for (auto& [id, frame] : st.from_hub.missed)
          notify(self, id, frame);
      } else {
        emit(self, infra::sse_event("", "reset", "{}"));
        for (auto& [id, frame] : st.from_hub.missed)
          notify(self, id, frame);
      }
      for (auto& [id, frame] : st.held)
        notify(self, id, frame);
      st.held.clear();
      st.from_hub = {};
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
