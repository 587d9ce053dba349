#pragma once

#include "events/named_type.hpp"

#include <cstdint>
#include <string>

namespace moim::events {

// Identifiers: text, so that they read well in logs, headers and kcat.
using event_id = named_type<std::string, struct event_id_tag>;
using user_id = named_type<std::string, struct user_id_tag>;

/// "u-" + the username in lower case: one user aggregate per username,
/// which makes usernames unique.
[[nodiscard]] user_id user_id_for_username(const std::string& username);
using room_id = named_type<std::string, struct room_id_tag>;
using schedule_id = named_type<std::string, struct schedule_id_tag>;
using saga_id = named_type<std::string, struct saga_id_tag>;
using correlation_id = named_type<std::string, struct correlation_id_tag>;
using causation_id = named_type<std::string, struct causation_id_tag>;
using idempotency_key = named_type<std::string, struct idempotency_key_tag>;

/// The id of any aggregate, whatever its kind: the record key in the log.
using aggregate_id = named_type<std::string, struct aggregate_id_tag>;

/// The position of an event within its aggregate: 1, 2, 3, ... without gaps.
using aggregate_seq = named_type<std::uint64_t, struct aggregate_seq_tag>;

/// A room-local message number, 1, 2, 3, ...
using message_seq = named_type<std::uint64_t, struct message_seq_tag>;

/// A partition of a topic in the log.
using partition_id = named_type<std::int32_t, struct partition_id_tag>;

/// An offset within one partition; strictly increasing, not always dense
/// (Kafka's transaction markers take offsets too).
using log_offset = named_type<std::int64_t, struct log_offset_tag>;

/// Where an event is stored: partition and offset.
struct log_position {
  partition_id partition;
  log_offset offset;

  friend bool operator==(const log_position& x, const log_position& y) {
    return x.partition == y.partition && x.offset == y.offset;
  }
  friend bool operator!=(const log_position& x, const log_position& y) {
    return !(x == y);
  }
};

/// A new event id: a UUID version 7 (RFC 9562) in text form, so ids sort by
/// creation time. Within one process, ids are strictly increasing.
/// Hand-written: Debian 12's libuuid (2.38) predates version 7.
[[nodiscard]] event_id new_event_id();

/// Whether `text` has the form new_event_id() makes (a UUIDv7 in lower
/// case): a client's Last-Event-ID is checked with it.
[[nodiscard]] bool is_event_id(const std::string& text);

} // namespace moim::events
