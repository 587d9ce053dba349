#include "gateway/gateway.hpp"

#include "projections/postgres/read_model.hpp"
#include "projections/redis/presence.hpp"

#include "gateway/rest_api.hpp"
#include "infra/metrics/registry.hpp"

#include <caf/all.hpp>

#include <thread>

namespace moim::gateway {

namespace {

using tick_atom = caf::atom_constant<caf::atom("tick")>;

/// Sweeps the fan-out and the hub (their idle buffers go) at an interval.
caf::behavior sweeper(caf::event_based_actor* self, fanout_shards fanouts,
                      notification_hub_actor hub,
                      std::chrono::seconds interval) {
  self->send(self, tick_atom::value);
  return {
    [=](tick_atom) {
      for (const auto& fanout : fanouts.all())
        self->send(fanout, sweep_atom::value);
      self->send(hub, hub_sweep_atom::value);
      self->delayed_send(self, interval, tick_atom::value);
    },
  };
}

/// The fan-out's options, telling the read side's presence (Redis) of
/// every subscription when there is one.
fanout_options
with_presence(fanout_options options,
              const std::shared_ptr<projections::read_side>& reads) {
  if (auto presence = reads ? reads->presence() : nullptr)
    options.presence = [presence](const std::string& room,
                                  const std::string& user, bool online) {
      if (online)
        presence->online(room, user);
      else
        presence->offline(room, user);
    };
  return options;
}

} // namespace

/// The connection actors alive now; each removes itself when it ends, so
/// a connection costs O(1) here.
struct gateway::connections {
  std::mutex mtx;
  std::unordered_map<caf::actor_addr, caf::actor> live;
  bool stopped = false;
};

gateway::gateway(caf::actor_system& sys, std::shared_ptr<actors::write_side> ws,
                 const infra::token_issuer& tokens, refresh_sessions& sessions,
                 std::function<void(std::function<void()>)> offload,
                 gateway_options options,
                 std::shared_ptr<projections::read_side> reads)
  : sys_(sys), ws_(std::move(ws)), tokens_(tokens), sessions_(sessions),
    offload_(std::move(offload)), reads_(std::move(reads)), options_(options),
    bridge_(sys, *ws_),
    fanouts_(sys, options.fanout_shards, with_presence(options.fanout, reads_)),
    hub_(spawn_notification_hub(sys, options.hub)),
    sweeper_(sys.spawn(sweeper, fanouts_, hub_, options.sweep_interval)),
    connections_(std::make_shared<connections>()) {
  for (const auto& fanout : fanouts_.all())
    ws_->subscribe_committed(fanout);
  ws_->subscribe_committed(hub_);
}

gateway::~gateway() {
  stop();
}

void gateway::add_routes(infra::router& routes) {
  add_rest_routes(routes, {bridge_, tokens_, sessions_, offload_, reads_});
}

infra::websocket_accept_fn gateway::websocket() {
  auto options = options_.websocket;
  if (auto store = reads_ ? reads_->postgres() : nullptr)
    options.history
      = [store, offload = offload_, limit = reads_->wait_limit()](
          const std::string& room, std::uint64_t after, std::uint64_t through,
          std::function<void(std::optional<std::vector<std::string>>)> done) {
          offload([store, limit, room, after, through, done = std::move(done)] {
            // The projection may not have applied the newest of them yet:
            // look again, as long as a query waits for a position
            // (projections.wait_ms); the client waits for its subscribed
            // frame meanwhile.
            constexpr std::chrono::milliseconds pause{50};
            auto deadline = std::chrono::steady_clock::now() + limit;
            for (;;) {
              auto frames = store->room_frames(room, after, through);
              if (!frames)
                break; // Postgres is down: recovery_impossible
              if (frames->size() == through - after) {
                done(std::move(*frames));
                return;
              }
              if (std::chrono::steady_clock::now() + pause > deadline)
                break;
              std::this_thread::sleep_for(pause);
            }
            done(std::nullopt);
          });
        };
  return websocket_gateway(sys_, ws_, tokens_, fanouts_, hub_, options,
                           track());
}

infra::event_stream_accept_fn gateway::event_stream() {
  auto options = options_.notifications;
  if (auto store = reads_ ? reads_->postgres() : nullptr)
    options.lookup
      = [store, offload = offload_](
          const std::string& user, const std::string& after,
          std::function<void(std::optional<stored_notifications>)> done) {
          offload([store, user, after, done = std::move(done)] {
            // More than this missed and the client reloads its list instead.
            constexpr std::size_t most = 500;
            auto found = store->notifications_after(user, after, most);
            if (!found || !found->first || found->second.size() >= most) {
              done(std::nullopt);
              return;
            }
            stored_notifications out;
            for (auto& row : found->second)
              out.emplace_back(std::move(row.id), std::move(row.frame));
            done(std::move(out));
          });
        };
  return notification_stream(sys_, tokens_, hub_, options, track());
}

std::function<void(caf::actor)> gateway::track() {
  return [registry = connections_](caf::actor actor) {
    std::unique_lock<std::mutex> guard{registry->mtx};
    if (registry->stopped) {
      guard.unlock();
      caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
      return;
    }
    auto addr = actor.address();
    registry->live.emplace(addr, actor);
    guard.unlock();
    actor->attach_functor([registry, addr] {
      std::lock_guard<std::mutex> g{registry->mtx};
      registry->live.erase(addr);
    });
  };
}

void gateway::add_metrics(infra::metrics_registry& metrics) {
  metrics.add_gauge("moim_gateway_connection_actors",
                    "WebSocket and SSE connection actors alive",
                    [registry = connections_] {
                      std::lock_guard<std::mutex> guard{registry->mtx};
                      return static_cast<double>(registry->live.size());
                    });
}

void gateway::stop() {
  std::vector<caf::actor> live;
  {
    std::lock_guard<std::mutex> guard{connections_->mtx};
    if (connections_->stopped)
      return;
    connections_->stopped = true;
    for (auto& [addr, actor] : connections_->live)
      live.push_back(actor);
  }
  caf::scoped_actor self{sys_};
  for (const auto& actor : live)
    self->send_exit(actor, caf::exit_reason::user_shutdown);
  for (const auto& actor : live)
    self->wait_for(actor);
  std::vector<caf::actor> nodes{sweeper_, caf::actor_cast<caf::actor>(hub_)};
  for (const auto& fanout : fanouts_.all())
    nodes.push_back(caf::actor_cast<caf::actor>(fanout));
  for (const auto& node : nodes)
    self->send_exit(node, caf::exit_reason::user_shutdown);
  for (const auto& node : nodes)
    self->wait_for(node);
}

} // namespace moim::gateway
