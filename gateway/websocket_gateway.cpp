#include "gateway/websocket_gateway.hpp"

#include "events/json_text.hpp"
#include "gateway/client_frame.hpp"
#include "gateway/notification_hub.hpp"
#include "gateway/notification_stream.hpp"
#include "gateway/room_fanout.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

namespace moim::gateway {

using namespace moim::actors;

namespace {

using nlohmann::json;
using frame_atom = caf::atom_constant<caf::atom("frame")>;
using closed_atom = caf::atom_constant<caf::atom("closed")>;
using expired_atom = caf::atom_constant<caf::atom("expired")>;
using sweep_atom = caf::atom_constant<caf::atom("sweep")>;
using history_atom = caf::atom_constant<caf::atom("history")>;

/// The stored history a subscription waited for: the room's frames after
/// `after` up to `through`, or none.
struct history_result {
  std::string room;
  std::uint64_t after = 0;
  std::uint64_t through = 0;
  std::uint64_t current_seq = 0;
  std::optional<std::vector<std::string>> frames;
};

/// How long a post waits for the write side before the client is told it
/// is unavailable.
constexpr std::chrono::seconds post_timeout{10};

/// The connection actor: what the fan-out and hub send (connection_actor)
/// and what its transport and timers send.
using ws_connection_actor = connection_actor::extend<
  caf::reacts_to<frame_atom, std::string>, caf::reacts_to<closed_atom>,
  caf::reacts_to<expired_atom>, caf::reacts_to<sweep_atom>,
  caf::reacts_to<history_atom, history_result>>;

struct connection_state {
  std::shared_ptr<infra::websocket_connection> conn;
  std::string user;            ///< empty until authenticated
  std::int64_t expires_at = 0; ///< of the token, Unix seconds
  std::set<std::string> rooms;
  double tokens = 0;
  std::chrono::steady_clock::time_point refilled;
  /// Posts waiting for the write side, by number (so oldest first, as they
  /// share one timeout): their deadline and client_message_id. One timer
  /// per connection sweeps them, not one per post.
  std::map<std::uint64_t,
           std::pair<std::chrono::steady_clock::time_point, std::string>>
    waiting_posts;
  std::uint64_t posts = 0;
  bool sweep_armed = false;
  static inline const char* name = "moim.ws_connection";
};

using conn_pointer = ws_connection_actor::stateful_pointer<connection_state>;

void send_frame(conn_pointer self, std::string frame) {
  if (!self->state.conn->send(std::move(frame)))
    self->quit(); // closed as a slow consumer
}

void send_frame(conn_pointer self, const json& frame) {
  send_frame(self, frame.dump(-1, ' ', false, json::error_handler_t::replace));
}

/// {"client_message_id","message","room","seq","type":"ack"}, written
/// directly (one per post: no JSON tree), keys in nlohmann's order.
std::string ack_frame(const std::string& client_id, const std::string& room,
                      std::uint64_t message, std::uint64_t seq) {
  return events::json_object_writer{client_id.size() + room.size() + 96}
    .text("client_message_id", client_id)
    .number("message", message)
    .text("room", room)
    .number("seq", seq)
    .text("type", "ack")
    .done();
}

void error_frame(conn_pointer self, const std::string& code,
                 const std::string& message, const json& extra = {}) {
  json frame{{"type", "error"}, {"code", code}, {"message", message}};
  if (extra.is_object())
    frame.update(extra);
  send_frame(self, frame);
}

bool take_token(connection_state& st, const websocket_gateway_options& o) {
  auto now = std::chrono::steady_clock::now();
  st.tokens = std::min(
    o.burst_or_rate(),
    st.tokens
      + o.messages_per_second
          * std::chrono::duration<double>(now - st.refilled).count());
  st.refilled = now;
  if (st.tokens < 1)
    return false;
  st.tokens -= 1;
  return true;
}

/// What every connection actor uses (its behavior holds them: the
/// handlers below may keep a reference for as long as the actor runs).
struct gateway_refs {
  std::shared_ptr<const write_side> ws; ///< kept alive by every connection
  const infra::token_issuer* tokens;
  fanout_shards fanouts;
  notification_hub_actor hub;
  websocket_gateway_options options;
};

/// This connection's subscription to `room` after `last_seq`, its
/// membership checked at `current_seq`.
subscription_request request_for(conn_pointer self, std::string room,
                                 std::uint64_t last_seq,
                                 std::uint64_t current_seq, bool history) {
  return {caf::actor_cast<room_subscriber>(self),
          frame_sink{self->state.conn},
          std::move(room),
          self->state.user,
          last_seq,
          current_seq,
          history,
          {}};
}

/// Asks the fan-out for the subscription; when it needs the stored
/// history first, reads it (bounded) and asks again with it.
void join_fanout(conn_pointer self, const gateway_refs& refs,
                 subscription_request req) {
  auto fanout = refs.fanouts.of(req.room);
  auto room = req.room;
  auto last_seq = req.last_seq;
  auto current = req.current_seq;
  self
    ->request(fanout, std::chrono::seconds{10}, subscribe_atom::value,
              std::move(req))
    .then(
      [self, &refs, room, last_seq, current](subscription_reply& reply) {
        if (reply.refused) {
          error_frame(self, "not_member", "only members subscribe to a room",
                      {{"room", room}});
          return;
        }
        if (!reply.history_through) {
          // The fan-out wrote the subscribed frame and what was missed.
          self->state.rooms.insert(room);
          return;
        }
        auto through = *reply.history_through;
        auto again = request_for(self, room, last_seq, current, false);
        if (through - last_seq > refs.options.history_most) {
          join_fanout(self, refs, std::move(again)); // recovery_impossible
          return;
        }
        auto me = caf::actor_cast<caf::actor>(self);
        refs.options.history(
          room, last_seq, through,
          [me, room, last_seq, through,
           current](std::optional<std::vector<std::string>> frames) {
            caf::anon_send(me, history_atom::value,
                           history_result{room, last_seq, through, current,
                                          std::move(frames)});
          });
      },
      [self, room](caf::error& err) {
        error_frame(self, "unavailable", caf::to_string(err), {{"room", room}});
      });
}

/// The history came (or did not): subscribe after it, or, without it,
/// from where the client was (it is told recovery_impossible).
void caught_up(conn_pointer self, const gateway_refs& refs, history_result& h) {
  auto req
    = request_for(self, std::move(h.room), h.after, h.current_seq, false);
  if (h.frames) {
    req.last_seq = h.through;
    req.prelude = std::move(*h.frames);
  }
  join_fanout(self, refs, std::move(req));
}

void subscribe(conn_pointer self, const gateway_refs& refs,
               const std::string& room, std::uint64_t last_seq) {
  auto port = refs.ws->route(events::aggregate_kind::room, room);
  if (!port) {
    error_frame(self, to_string(port.err().code), port.err().reason,
                {{"room", room}});
    return;
  }
  auto user = self->state.user;
  self
    ->request(*port, std::chrono::seconds{10}, query_atom::value,
              member_query{events::room_id{room}, events::user_id{user}})
    .then(
      [self, &refs, room, last_seq](member_reply& m) {
        if (!m) {
          error_frame(self, to_string(m.err().code), m.err().reason,
                      {{"room", room}});
          return;
        }
        if (!m->room_exists) {
          error_frame(self, "not_found", "no such room", {{"room", room}});
          return;
        }
        if (!m->member) {
          if (m->banned)
            error_frame(self, "banned", "you are banned from this room",
                        {{"room", room}});
          else
            error_frame(self, "not_member", "only members subscribe to a room",
                        {{"room", room}});
          return;
        }
        join_fanout(self, refs,
                    request_for(self, room, last_seq, m->seq.value(),
                                static_cast<bool>(refs.options.history)));
      },
      [self, room](caf::error& err) {
        error_frame(self, "unavailable", caf::to_string(err), {{"room", room}});
      });
}

/// Sets the sweep timer for the oldest waiting post, unless it is set.
void arm_sweep(conn_pointer self) {
  auto& st = self->state;
  if (st.sweep_armed || st.waiting_posts.empty())
    return;
  st.sweep_armed = true;
  auto due = st.waiting_posts.begin()->second.first;
  self->delayed_send(self,
                     std::max(std::chrono::steady_clock::duration::zero(),
                              due - std::chrono::steady_clock::now()),
                     sweep_atom::value);
}

/// Posts past their deadline are answered unavailable; their replies, if
/// they come later, are dropped.
void sweep(conn_pointer self) {
  auto& st = self->state;
  st.sweep_armed = false;
  auto now = std::chrono::steady_clock::now();
  while (!st.waiting_posts.empty()
         && st.waiting_posts.begin()->second.first <= now) {
    auto client_id = std::move(st.waiting_posts.begin()->second.second);
    st.waiting_posts.erase(st.waiting_posts.begin());
    error_frame(self, "unavailable",
                "the write side did not answer within "
                  + std::to_string(post_timeout.count()) + " s; retry",
                {{"client_message_id", client_id}});
  }
  arm_sweep(self);
}

void post(conn_pointer self, const write_side& ws, const post_request& req) {
  const auto& room = req.room;
  const auto& client_id = req.client_message_id;
  auto port = ws.route(events::aggregate_kind::room, room);
  if (!port) {
    error_frame(self, to_string(port.err().code), port.err().reason,
                {{"client_message_id", client_id}});
    return;
  }
  auto key
    = client_id.empty() ? std::string{} : self->state.user + ":" + client_id;
  command_envelope cmd{
    events::aggregate_kind::room,
    events::aggregate_id{room},
    room_command{
      post_message{events::user_id{self->state.user}, req.text, client_id}},
    events::idempotency_key{key},
    {},
    {}};
  auto number = ++self->state.posts;
  self->state.waiting_posts.emplace(
    number,
    std::pair{std::chrono::steady_clock::now() + post_timeout, client_id});
  arm_sweep(self);
  // No request timeout: one timer per request is a clock entry per
  // message; the sweep above bounds the wait instead.
  self->request(*port, caf::infinite, command_atom::value, cmd)
    .then(
      [self, room, client_id, number](command_reply& r) {
        if (self->state.waiting_posts.erase(number) == 0)
          return; // answered unavailable already
        if (!r) {
          error_frame(self, to_string(r.err().code), r.err().reason,
                      {{"client_message_id", client_id}, {"room", room}});
          return;
        }
        auto& posted = std::get<events::room_message_posted>(r->events.front());
        send_frame(self, ack_frame(client_id, room, posted.message.value(),
                                   r->last_seq.value()));
      },
      [self, client_id, number](caf::error& err) {
        if (self->state.waiting_posts.erase(number) == 0)
          return;
        error_frame(self, "unavailable", caf::to_string(err),
                    {{"client_message_id", client_id}});
      });
}

/// Starts the user's session on this connection: notifications, and a
/// close when the token expires (a later auth frame extends it).
void signed_in(conn_pointer self, const infra::token_claims& claims,
               const notification_hub_actor& hub) {
  bool first = self->state.user.empty();
  self->state.user = claims.subject;
  self->state.expires_at = claims.expires_at;
  self->delayed_send(self, time_left(claims), expired_atom::value);
  if (!first)
    return;
  notice_listener me = caf::actor_cast<notice_listener>(self);
  self
    ->request(hub, caf::infinite, listen_atom::value, me, claims.subject,
              std::string{})
    .then([](listen_reply&) {},
          [self](caf::error& err) {
            error_frame(self, "unavailable",
                        "notifications: " + caf::to_string(err));
          });
}

void handle(conn_pointer self, const gateway_refs& refs,
            const auth_request& req) {
  auto claims = refs.tokens->verify(req.token);
  if (!claims) {
    error_frame(self, "unauthenticated", claims.err().message);
    return;
  }
  auto& st = self->state;
  if (!st.user.empty() && st.user != claims->subject) {
    error_frame(self, "unauthenticated",
                "a connection stays with the user it began with");
    return;
  }
  signed_in(self, *claims, refs.hub);
  send_frame(self, {{"type", "authenticated"}, {"user", st.user}});
}

/// Whether a signed-in user may send another frame now; answers when not.
bool admit(conn_pointer self, const gateway_refs& refs) {
  if (self->state.user.empty()) {
    error_frame(self, "unauthenticated",
                "send {\"type\":\"auth\",\"token\":...} first");
    return false;
  }
  if (!take_token(self->state, refs.options)) {
    error_frame(
      self, "rate_limited",
      "more than "
        + std::to_string(static_cast<int>(refs.options.messages_per_second))
        + " frames per second");
    return false;
  }
  return true;
}

void handle(conn_pointer self, const gateway_refs& refs,
            const subscribe_request& req) {
  if (admit(self, refs))
    subscribe(self, refs, req.room,
              req.last_seq.value_or(std::numeric_limits<std::uint64_t>::max()));
}

void handle(conn_pointer self, const gateway_refs& refs,
            const unsubscribe_request& req) {
  if (!admit(self, refs))
    return;
  self->state.rooms.erase(req.room);
  self->send(refs.fanouts.of(req.room), unsub_atom::value,
             caf::actor_cast<room_subscriber>(self), req.room);
}

void handle(conn_pointer self, const gateway_refs& refs,
            const post_request& req) {
  if (admit(self, refs))
    post(self, *refs.ws, req);
}

void handle(conn_pointer self, const gateway_refs& refs,
            const typing_request& req) {
  if (!admit(self, refs))
    return;
  if (self->state.rooms.count(req.room) == 0)
    error_frame(self, "not_subscribed", "subscribe to the room first");
  else
    self->send(refs.fanouts.of(req.room), typing_atom::value,
               caf::actor_cast<room_subscriber>(self), req.room,
               self->state.user);
}

ws_connection_actor::behavior_type
connection(conn_pointer self, std::shared_ptr<infra::websocket_connection> conn,
           std::optional<infra::token_claims> claims, gateway_refs refs) {
  self->state.conn = std::move(conn);
  if (claims)
    signed_in(self, *claims, refs.hub);
  self->state.tokens = refs.options.burst_or_rate();
  self->state.refilled = std::chrono::steady_clock::now();
  return {
    [=](frame_atom, const std::string& text) {
      auto frame = parse_client_frame(text);
      if (!frame) {
        error_frame(self, frame.err().code, frame.err().message);
        return;
      }
      std::visit(
        [&](const auto& request) {
          handle(self, refs, request);
        },
        *frame);
    },
    [=](dropped_atom, const std::string& room, const std::string&) {
      // No longer a member: the fan-out wrote the unsubscribed frame.
      self->state.rooms.erase(room);
    },
    [=](notice_atom, const std::string&, std::string& frame) {
      if (!self->state.conn->send(std::move(frame)))
        self->quit();
    },
    [=](expired_atom) {
      infra::token_claims claims{self->state.user, self->state.expires_at};
      if (!claims.expired()) {
        // A newer token (whose own timer is set), or a timer that ran a
        // little ahead of the clock: then look again shortly.
        if (time_left(claims) < std::chrono::seconds{1})
          self->delayed_send(self, std::chrono::milliseconds{100},
                             expired_atom::value);
        return;
      }
      error_frame(self, "token_expired",
                  "the access token expired; reconnect with a new one");
      self->state.conn->close(4001, "token expired");
      self->quit();
    },
    [=](sweep_atom) {
      sweep(self);
    },
    [=](history_atom, history_result& h) {
      caught_up(self, refs, h);
    },
    [=](closed_atom) {
      self->quit();
    },
  };
}

} // namespace

infra::websocket_accept_fn
websocket_gateway(caf::actor_system& sys, std::shared_ptr<const write_side> ws,
                  const infra::token_issuer& tokens, fanout_shards fanouts,
                  notification_hub_actor hub, websocket_gateway_options options,
                  std::function<void(caf::actor)> track) {
  return [&sys, ws, &tokens, fanouts, hub, options,
          track](const infra::http_request& req,
                 std::shared_ptr<infra::websocket_connection> conn)
           -> std::variant<infra::websocket_handlers, infra::http_response> {
    // ?token=... (a browser's WebSocket cannot send headers) or the
    // Authorization header; without either, the first frame authenticates.
    std::optional<infra::token_claims> claims;
    if (req.query_param("token") || req.header("authorization")) {
      auto verified = stream_credentials(tokens, req);
      if (!verified)
        return infra::http_response::error(401, "unauthenticated",
                                           verified.err().message);
      claims = *verified;
    }
    auto actor = sys.spawn(connection, conn, claims,
                           gateway_refs{ws, &tokens, fanouts, hub, options});
    if (track)
      track(caf::actor_cast<caf::actor>(actor));
    return infra::websocket_handlers{
      [weak = std::weak_ptr<infra::websocket_connection>{conn}, claims] {
        auto conn = weak.lock();
        if (conn && claims)
          conn->send(
            json{{"type", "authenticated"}, {"user", claims->subject}}.dump());
      },
      [actor](std::string text) {
        caf::anon_send(actor, frame_atom::value, std::move(text));
      },
      [actor] {
        caf::anon_send(actor, closed_atom::value);
      }};
  };
}

} // namespace moim::gateway

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::gateway::history_result)
