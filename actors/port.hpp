#pragma once

#include "actors/domain/commands.hpp"
#include "actors/domain/rejection.hpp"
#include "actors/domain/views.hpp"
#include "events/catalogue/any_event.hpp"
#include "events/envelope.hpp"
#include "events/expected.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace moim::actors {

// ---- commands --------------------------------------------------------------

using any_command
  = std::variant<user_command, room_command, schedule_command, saga_command>;

/// A command for one aggregate, with what the log records beside it.
struct command_envelope {
  events::aggregate_kind kind = events::aggregate_kind::room;
  events::aggregate_id aggregate;
  any_command command;
  events::idempotency_key idempotency; ///< a repeat returns the original
  events::correlation_id correlation;  ///< e.g. the saga id
  events::causation_id causation;
};

/// What an accepted command did: the events appended, with their aggregate
/// sequence numbers first_seq..last_seq.
struct command_result {
  events::aggregate_seq first_seq;
  events::aggregate_seq last_seq;
  std::vector<events::any_event> events;
  bool duplicate = false; ///< an idempotent repeat; nothing was appended
  /// Where the log holds the batch that carried these events (its last
  /// event; the batch is one transaction): a read model that has applied
  /// this position shows them. Absent for a duplicate.
  std::optional<events::log_position> position;
};

using command_reply = events::expected<command_result, rejection>;

// ---- typed queries ---------------------------------------------------------
// Answered by the aggregate's actor from the state it has committed. A
// query of an aggregate that does not exist answers `not_found`
// (membership answers room_exists = false instead).

struct member_query {
  events::room_id room;
  events::user_id user;
};
struct room_query {
  events::room_id room;
};
struct schedule_query {
  events::schedule_id schedule;
};
struct profile_query {
  events::user_id user;
};
/// For the login check only.
struct credentials_query {
  events::user_id user;
};

using member_reply = events::expected<membership, rejection>;
using room_reply = events::expected<room_view, rejection>;
using schedule_reply = events::expected<schedule_view, rejection>;
using profile_reply = events::expected<user_profile, rejection>;
using credentials_reply = events::expected<stored_credentials, rejection>;

using command_atom = caf::atom_constant<caf::atom("command")>;
using query_atom = caf::atom_constant<caf::atom("query")>;

/// Where commands and queries for one aggregate go (write_side::route).
using aggregate_port = caf::typed_actor<
  caf::replies_to<command_atom, command_envelope>::with<command_reply>,
  caf::replies_to<query_atom, member_query>::with<member_reply>,
  caf::replies_to<query_atom, room_query>::with<room_reply>,
  caf::replies_to<query_atom, schedule_query>::with<schedule_reply>,
  caf::replies_to<query_atom, profile_query>::with<profile_reply>,
  caf::replies_to<query_atom, credentials_query>::with<credentials_reply>>;

} // namespace moim::actors

// Local-only message types: they never cross a process, so they need no
// serialization (CAF 0.17 would otherwise ask for an inspect overload).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::command_envelope)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::command_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::member_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::room_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::schedule_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::profile_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::credentials_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::member_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::room_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::schedule_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::profile_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(moim::actors::credentials_reply)
