#pragma once

#include "infra/config/settings.hpp"
#include "infra/log/event_log.hpp"

#include <memory>
#include <string>

namespace moim::moimd {

/// The Kafka log when kafka.brokers is set (topics provisioned through the
/// Admin API), else the embedded log at eventlog.path.
[[nodiscard]] infra::result<std::unique_ptr<infra::event_log>>
open_event_log(const infra::settings& cfg);

/// This node's static group membership id: the host name and the absolute
/// state folder, so that a node restarted on the same state takes its
/// partitions back at once, and two nodes never share one.
[[nodiscard]] std::string instance_id(const infra::settings& cfg);

} // namespace moim::moimd
