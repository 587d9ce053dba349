#pragma once

#include "infra/log/event_log.hpp"

#include <librdkafka/rdkafka.h>

namespace moim::infra {

/// The envelope's metadata as Kafka headers (a new list the caller owns,
/// or hands to rd_kafka_producev with RD_KAFKA_V_HEADERS).
[[nodiscard]] rd_kafka_headers_t*
to_kafka_headers(const events::event_envelope& event);

/// A consumed message as a log record, decoded; the error names the
/// record's topic/partition@offset.
[[nodiscard]] events::expected<log_record, events::decode_error>
from_kafka_message(const rd_kafka_message_t& msg);

} // namespace moim::infra
