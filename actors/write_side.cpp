#include "actors/write_side.hpp"

#include "actors/hosting/group_membership.hpp"
#include "actors/hosting/partition_host.hpp"
#include "actors/hosting/restore.hpp"
#include "events/vassert.hpp"
#include "infra/log/topics.hpp"
#include "infra/metrics/registry.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <map>
#include <mutex>
#include <random>

namespace moim::actors {

namespace {

std::optional<events::aggregate_kind> kind_of_topic(const std::string& topic) {
  for (auto kind : events::all_aggregate_kinds)
    if (infra::topic_of(kind) == topic)
      return kind;
  return std::nullopt;
}

/// A static member id for a process that was given none.
std::string random_instance_id() {
  std::random_device rd;
  std::uniform_int_distribution<std::uint64_t> any;
  char text[32];
  std::snprintf(text, sizeof(text), "moim-%016llx",
                static_cast<unsigned long long>(any(rd)));
  return text;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
    .count();
}

/// What the partition lifecycle did, for /metrics.
struct lifecycle_stats {
  std::atomic<std::uint64_t> assigned{0};
  std::atomic<std::uint64_t> revoked{0};
  std::atomic<std::uint64_t> lost{0};
  std::atomic<std::uint64_t> failed{0};
  std::atomic<double> last_restore_s{0};
  std::atomic<double> last_revoke_s{0};
};

} // namespace

struct write_side::impl {
  caf::actor_system& sys;
  infra::event_log& log;
  std::shared_ptr<infra::state_store> store;
  state_io_actor io;
  write_side_options options;
  std::vector<committed_listener> pending_listeners;
  std::shared_ptr<const std::vector<committed_listener>> listeners;
  mutable std::mutex mtx;
  std::map<infra::topic_partition, partition_host_actor> hosts;
  std::unique_ptr<group_membership> membership;
  std::atomic<bool> ready{false};
  lifecycle_stats stats;

  impl(caf::actor_system& s, infra::event_log& l,
       std::shared_ptr<infra::state_store> st, write_side_options o)
    : sys(s), log(l), store(std::move(st)), io(spawn_state_io(s, store)),
      options(std::move(o)) {
    // nop
  }

  host_options hosting() {
    std::lock_guard<std::mutex> guard{mtx};
    if (!listeners) // fixed from the first host on
      listeners = std::make_shared<const std::vector<committed_listener>>(
        pending_listeners);
    host_options h;
    h.max_live_aggregates = options.max_live_aggregates;
    h.batches_in_flight = options.batches_in_flight;
    h.checkpoint_interval = options.checkpoint_interval;
    h.snapshot_interval = options.snapshot_interval;
    h.listeners = listeners;
    return h;
  }

  /// Restores `where` and starts its host, which appends through `writer`
  /// (opened first: once it is ours, the tail read next is the whole
  /// tail). Blocking.
  infra::result<restore_report>
  host(const infra::topic_partition& where,
       infra::result<std::unique_ptr<infra::partition_writer>> writer);

  /// Takes the host out of the routing table; empty if it was not there.
  std::optional<partition_host_actor>
  unroute(const infra::topic_partition& where) {
    std::lock_guard<std::mutex> guard{mtx};
    auto found = hosts.find(where);
    if (found == hosts.end())
      return std::nullopt;
    auto host = found->second;
    hosts.erase(found);
    return host;
  }
};

write_side::write_side(caf::actor_system& sys, infra::event_log& log,
                       std::shared_ptr<infra::state_store> store,
                       write_side_options options)
  : impl_(
    std::make_unique<impl>(sys, log, std::move(store), std::move(options))) {
  // nop
}

write_side::~write_side() {
  stop();
  // Wait for the state store's actor to finish, so the store is closed
  // (and its RocksDB lock released) when this returns.
  caf::scoped_actor self{impl_->sys};
  self->send_exit(impl_->io, caf::exit_reason::user_shutdown);
  self->wait_for(impl_->io);
}

void write_side::subscribe_committed(committed_listener listener) {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  MOIM_VASSERT(!impl_->listeners,
               "a committed-events listener was added after the first "
               "partition was hosted");
  impl_->pending_listeners.push_back(std::move(listener));
}

void write_side::start() {
  if (impl_->membership)
    return;
  std::vector<std::string> topics;
  for (auto kind : events::all_aggregate_kinds)
    topics.push_back(infra::topic_of(kind));
  infra::subscription_options sub;
  sub.instance_id = impl_->options.instance_id.empty()
                      ? random_instance_id()
                      : impl_->options.instance_id;
  sub.fetch_records = false;
  auto& d = *impl_;
  impl_->membership = std::make_unique<group_membership>(
    d.log, d.options.group, std::move(topics), std::move(sub),
    group_membership::handlers{
      [this](const infra::topic_partition& tp, infra::group_subscription& sub) {
        if (auto r = impl_->host(tp, sub.open_writer(tp)); !r)
          spdlog::error("cannot host {}: {}", tp.text(), r.err().message);
      },
      [this](const infra::topic_partition& tp) {
        if (!revoke(tp))
          spdlog::error("the final checkpoint of {} failed", tp.text());
      },
      [this, &d](const infra::topic_partition& tp) {
        // Another node may own it already: stop serving at once. What the
        // host committed is in the log; its checkpoint is local, and it
        // is written only if the store still takes it.
        ++d.stats.lost;
        spdlog::warn("{}: lost (the group moved it without a revocation)",
                     tp.text());
        revoke(tp);
      },
      [&d] {
        d.ready = true;
      }});
}

void write_side::stop() {
  impl_->membership.reset(); // leaves the group: revocations run there
  for (const auto& tp : assigned())
    revoke(tp);
}

bool write_side::ready() const noexcept {
  return impl_->ready;
}

infra::result<restore_report>
write_side::assign(const infra::topic_partition& where) {
  return impl_->host(where, impl_->log.open_writer(where));
}

infra::result<restore_report> write_side::impl::host(
  const infra::topic_partition& where,
  infra::result<std::unique_ptr<infra::partition_writer>> writer) {
  auto& d = *this;
  auto started = std::chrono::steady_clock::now();
  auto kind = kind_of_topic(where.topic);
  if (!kind)
    return infra::error{infra::errc::invalid,
                        where.topic + " holds no aggregates this node hosts"};
  // Writer first: once it is ours nobody else appends, so the tail we read
  // is the whole tail.
  if (!writer) {
    ++d.stats.failed;
    return writer.err();
  }
  auto report = restore_partition(d.log, *d.store, where, *kind);
  if (!report) {
    ++d.stats.failed;
    return report.err();
  }
  auto host = spawn_partition_host(
    d.sys, where, *kind,
    std::shared_ptr<infra::partition_writer>{std::move(*writer)}, d.io,
    report->to, d.hosting());
  {
    std::lock_guard<std::mutex> guard{d.mtx};
    d.hosts[where] = host;
  }
  auto took = seconds_since(started);
  ++d.stats.assigned;
  d.stats.last_restore_s = took;
  spdlog::info("{}: assigned; restored {} records ({} -> {}){} in {:.3f} s",
               where.text(), report->records, report->from, report->to,
               report->rebuilt ? ", rebuilt from the log" : "", took);
  return report;
}

bool write_side::revoke(const infra::topic_partition& where) {
  auto& d = *impl_;
  auto started = std::chrono::steady_clock::now();
  auto host = d.unroute(where);
  if (!host)
    return true;
  bool ok = false;
  caf::scoped_actor self{d.sys};
  self->request(*host, caf::infinite, revoke_atom::value)
    .receive(
      [&ok](bool result) {
        ok = result;
      },
      [&where](caf::error& err) {
        spdlog::error("revoking {} failed: {}", where.text(),
                      caf::to_string(err));
      });
  auto took = seconds_since(started);
  ++d.stats.revoked;
  d.stats.last_revoke_s = took;
  spdlog::info("{}: revoked, final checkpoint {} in {:.3f} s", where.text(),
               ok ? "written" : "FAILED", took);
  return ok;
}

events::expected<aggregate_port, rejection>
write_side::route(events::aggregate_kind kind,
                  const std::string& aggregate) const {
  auto& d = *impl_;
  auto topic = infra::topic_of(kind);
  infra::topic_partition where{
    topic, d.log.partition_of(topic, events::aggregate_id{aggregate})};
  std::lock_guard<std::mutex> guard{d.mtx};
  auto found = d.hosts.find(where);
  if (found == d.hosts.end())
    return rejection{rejection_code::not_owner_node,
                     where.text()
                       + " is not hosted on this node; retry "
                         "where it is (owner unknown here)"};
  return aggregate_port{found->second};
}

std::vector<infra::topic_partition> write_side::assigned() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  std::vector<infra::topic_partition> out;
  for (const auto& [tp, host] : impl_->hosts)
    out.push_back(tp);
  return out;
}

void write_side::add_metrics(infra::metrics_registry& metrics) const {
  const impl* d = impl_.get();
  metrics.add_gauge("moim_write_side_partitions", "partitions hosted now", [d] {
    std::lock_guard<std::mutex> guard{d->mtx};
    return static_cast<double>(d->hosts.size());
  });
  auto counter = [&metrics](const char* what, const char* help,
                            const std::atomic<std::uint64_t>& value) {
    metrics.add_gauge("moim_write_side_partition_events_total", help,
                      [&value] {
                        return static_cast<double>(value.load());
                      },
                      {{"event", what}});
  };
  counter("assigned", "partition lifecycle steps since start",
          d->stats.assigned);
  counter("revoked", "partition lifecycle steps since start", d->stats.revoked);
  counter("lost", "partition lifecycle steps since start", d->stats.lost);
  counter("failed", "partition lifecycle steps since start", d->stats.failed);
  metrics.add_gauge("moim_write_side_last_restore_seconds",
                    "how long the last partition restore took", [d] {
                      return d->stats.last_restore_s.load();
                    });
  metrics.add_gauge("moim_write_side_last_revoke_seconds",
                    "how long the last revocation (final checkpoint) took",
                    [d] {
                      return d->stats.last_revoke_s.load();
                    });
}

command_reply send_command(caf::actor_system& sys, const write_side& ws,
                           command_envelope cmd) {
  auto port = ws.route(cmd.kind, cmd.aggregate.value());
  if (!port)
    return port.err();
  command_reply reply{rejection{rejection_code::unavailable, "no reply"}};
  caf::scoped_actor self{sys};
  self->request(*port, caf::infinite, command_atom::value, std::move(cmd))
    .receive(
      [&reply](command_reply& r) {
        reply = std::move(r);
      },
      [&reply](caf::error& err) {
        reply = rejection{rejection_code::unavailable,
                          "the host failed: " + caf::to_string(err)};
      });
  return reply;
}

} // namespace moim::actors
