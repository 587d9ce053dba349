#include "actors/hosting/restore.hpp"

#include "actors/domain/room_aggregate.hpp"
#include "actors/domain/saga_log_aggregate.hpp"
#include "actors/domain/schedule_aggregate.hpp"
#include "actors/domain/user_aggregate.hpp"
#include "actors/hosting/aggregate_core.hpp"
#include "actors/hosting/partition_host.hpp"

#include <spdlog/spdlog.h>

#include <unordered_map>

namespace moim::actors {

namespace {

template<class Aggregate>
infra::result<restore_report>
replay_tail(infra::event_log& log, infra::state_store& store,
            const infra::topic_partition& where, restore_report report) {
  std::unordered_map<std::string, aggregate_core<Aggregate>> touched;
  events::log_offset next{report.from};
  for (;;) {
    auto batch = log.read(where, next, 2000, infra::bad_record_policy::stop);
    if (!batch)
      return batch.err();
    if (batch->stopped)
      return infra::error{infra::errc::invalid, "cannot restore " + where.text()
                                                  + ": "
                                                  + batch->stopped->text()};
    if (batch->records.empty())
      break;
    for (const auto& record : batch->records) {
      const auto& id = record.stored.aggregate.value();
      auto found = touched.find(id);
      if (found == touched.end()) {
        auto snap = store.load(where, id);
        if (!snap)
          return snap.err();
        auto core = *snap ? aggregate_core<Aggregate>::from_snapshot(**snap)
                          : aggregate_core<Aggregate>{id};
        found = touched.emplace(id, std::move(core)).first;
      }
      for (const auto& d : record.decoded)
        found->second.replay(d.envelope, d.event);
      report.to = record.position.offset.value() + 1;
      ++report.records;
    }
    next = batch->next;
    report.to = std::max(report.to, next.value());
  }
  std::vector<infra::aggregate_snapshot> snaps;
  snaps.reserve(touched.size());
  for (auto& [id, core] : touched)
    snaps.push_back(core.snapshot());
  if (auto err = store.write(
        where, snaps,
        infra::partition_checkpoint{checkpoint_schema_version, report.to}))
    return *err;
  return report;
}

} // namespace

infra::result<restore_report>
restore_partition(infra::event_log& log, infra::state_store& store,
                  const infra::topic_partition& where,
                  events::aggregate_kind kind) {
  restore_report report;
  auto cp = store.checkpoint(where);
  if (!cp)
    return cp.err();
  if (*cp && (*cp)->schema_version == checkpoint_schema_version) {
    report.from = (*cp)->offset;
  } else {
    if (*cp)
      spdlog::warn("{}: checkpoint schema {} is not {}; rebuilding from the "
                   "log",
                   where.text(), (*cp)->schema_version,
                   checkpoint_schema_version);
    if (auto err = store.drop(where))
      return *err;
    report.rebuilt = true;
  }
  report.to = report.from;
  switch (kind) {
    case events::aggregate_kind::user:
      return replay_tail<user_aggregate>(log, store, where, report);
    case events::aggregate_kind::room:
      return replay_tail<room_aggregate>(log, store, where, report);
    case events::aggregate_kind::schedule:
      return replay_tail<schedule_aggregate>(log, store, where, report);
    case events::aggregate_kind::saga:
      return replay_tail<saga_log_aggregate>(log, store, where, report);
  }
  return infra::error{infra::errc::invalid, "no such aggregate kind"};
}

} // namespace moim::actors
