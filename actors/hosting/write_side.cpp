#include "actors/hosting/write_side.hpp"

#include "infra/log/topics.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace moim::actors {

namespace {

std::optional<events::aggregate_kind> kind_of_topic(const std::string& topic) {
  for (auto kind : {events::aggregate_kind::user, events::aggregate_kind::room,
                    events::aggregate_kind::schedule})
    if (infra::topic_of(kind) == topic)
      return kind;
  return std::nullopt;
}

} // namespace

write_side::write_side(caf::actor_system& sys, infra::event_log& log,
                       std::shared_ptr<infra::state_store> store,
                       host_options options)
  : sys_(sys), log_(log), store_(std::move(store)),
    io_(spawn_state_io(sys, store_)), options_(options) {
  // nop
}

write_side::~write_side() {
  for (const auto& tp : assigned())
    revoke(tp);
  // Wait for the state store's actor to finish, so the store is closed
  // (and its RocksDB lock released) when this returns.
  caf::scoped_actor self{sys_};
  self->send_exit(io_, caf::exit_reason::user_shutdown);
  self->wait_for(io_);
}

infra::result<restore_report>
write_side::assign(const infra::topic_partition& where) {
  auto kind = kind_of_topic(where.topic);
  if (!kind)
    return infra::error{infra::errc::invalid,
                        where.topic + " holds no aggregates this node hosts"};
  // Writer first: once it is ours nobody else appends, so the tail we read
  // is the whole tail.
  auto writer = log_.open_writer(where);
  if (!writer)
    return writer.err();
  auto report = restore_partition(log_, *store_, where, *kind);
  if (!report)
    return report.err();
  spdlog::info("{}: restored {} records ({} -> {}){}", where.text(),
               report->records, report->from, report->to,
               report->rebuilt ? ", rebuilt from the log" : "");
  auto host = spawn_partition_host(
    sys_, where, *kind,
    std::shared_ptr<infra::partition_writer>{std::move(*writer)}, io_,
    report->to, options_);
  std::lock_guard<std::mutex> guard{mtx_};
  hosts_[where] = host;
  return report;
}

bool write_side::revoke(const infra::topic_partition& where) {
  partition_host_actor host;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    auto found = hosts_.find(where);
    if (found == hosts_.end())
      return true;
    host = found->second;
    hosts_.erase(found);
  }
  bool ok = false;
  caf::scoped_actor self{sys_};
  self->request(host, caf::infinite, revoke_atom::value)
    .receive(
      [&ok](bool result) {
        ok = result;
      },
      [&where](caf::error& err) {
        spdlog::error("revoking {} failed: {}", where.text(),
                      caf::to_string(err));
      });
  return ok;
}

events::expected<partition_host_actor, rejection>
write_side::route(events::aggregate_kind kind,
                  const std::string& aggregate) const {
  auto topic = infra::topic_of(kind);
  infra::topic_partition where{
    topic, log_.partition_of(topic, events::aggregate_id{aggregate})};
  std::lock_guard<std::mutex> guard{mtx_};
  auto found = hosts_.find(where);
  if (found == hosts_.end())
    return rejection{rejection_code::not_owner_node,
                     where.text()
                       + " is not hosted on this node; retry "
                         "where it is (owner unknown here)"};
  return found->second;
}

std::vector<infra::topic_partition> write_side::assigned() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<infra::topic_partition> out;
  for (const auto& [tp, host] : hosts_)
    out.push_back(tp);
  return out;
}

command_reply send_command(caf::actor_system& sys, const write_side& ws,
                           command_envelope cmd) {
  auto host = ws.route(cmd.kind, cmd.aggregate);
  if (!host)
    return host.err();
  command_reply reply{rejection{rejection_code::unavailable, "no reply"}};
  caf::scoped_actor self{sys};
  self->request(*host, caf::infinite, command_atom::value, std::move(cmd))
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
