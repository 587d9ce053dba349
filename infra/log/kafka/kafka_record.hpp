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

/// The record of a message, decoded or marked undecodable (for
/// bad_record_policy::deliver): then `stored` is the envelope when it could
/// be read, else the key as the aggregate and the raw payload as a string.
[[nodiscard]] log_record read_message(const rd_kafka_message_t& msg);

} // namespace moim::infra

namespace moim::infra {

/// Produces one message with rd_kafka_produceva (the vtype array, without
/// the GNU statement-expression macros of rd_kafka_producev). Takes
/// `headers` on success only. Returns nullptr or an error the caller owns.
[[nodiscard]] rd_kafka_error_t*
produce_message(rd_kafka_t* rk, const std::string& topic,
                std::int32_t partition, const std::string& key,
                const std::string& value, rd_kafka_headers_t* headers,
                void* opaque);

} // namespace moim::infra
