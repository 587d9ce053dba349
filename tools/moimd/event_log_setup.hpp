#pragma once

#include "infra/config/settings.hpp"
#include "infra/log/event_log.hpp"

#include <memory>

namespace moim::moimd {

/// The Kafka log when kafka.brokers is set (topics provisioned through the
/// Admin API), else the embedded log at eventlog.path.
[[nodiscard]] infra::result<std::unique_ptr<infra::event_log>>
open_event_log(const infra::settings& cfg);

} // namespace moim::moimd
