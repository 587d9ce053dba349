#include "projections/postgres/postgres_projection.hpp"

#include "events/catalogue/catalogue.hpp"
#include "events/public_frame.hpp"
#include "infra/log/topics.hpp"
#include "infra/postgres/postgres_probe.hpp"
#include "projections/notifications.hpp"
#include "projections/postgres/migrations.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

namespace moim::projections {

namespace {

// Times are passed as Unix milliseconds and turned into timestamptz here.
constexpr const char* at = "to_timestamp($%d::bigint / 1000.0)";

std::string ts(int param) {
  char buf[64];
  std::snprintf(buf, sizeof buf, at, param);
  return buf;
}

const std::vector<std::pair<std::string, std::string>>& statements() {
  static const std::vector<std::pair<std::string, std::string>> all{
    {"move_checkpoint",
     "UPDATE projection_offsets SET next_offset = $4, updated_at = now() "
     "WHERE projection = $1 AND topic = $2 AND partition = $3 "
     "AND next_offset = $5"},
    {"first_checkpoint",
     "INSERT INTO projection_offsets (projection, topic, partition, "
     "next_offset) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"},
    {"user_registered",
     "INSERT INTO users (id, username, display_name, image_url, created_at) "
     "VALUES ($1, $2, $3, $4, "
       + ts(5) + ") ON CONFLICT (id) DO NOTHING"},
    {"user_per_day",
     "INSERT INTO new_users_per_day (day, users) VALUES ((" + ts(1)
       + " AT TIME ZONE 'UTC')::date, 1) ON CONFLICT (day) DO UPDATE SET "
         "users = new_users_per_day.users + 1"},
    {"user_profile",
     "UPDATE users SET display_name = $2, image_url = $3 WHERE id = $1"},
    {"user_deactivated", "UPDATE users SET deactivated = true WHERE id = $1"},
    {"friend_added",
     "INSERT INTO friends (user_id, friend, since) VALUES ($1, $2, " + ts(3)
       + ") ON CONFLICT DO NOTHING"},
    {"friend_removed",
     "DELETE FROM friends WHERE user_id = $1 AND friend = $2"},
    {"room_created",
     "INSERT INTO rooms (id, name, description, tags, owner, member_limit, "
     "is_public, direct, created_at) VALUES ($1, $2, $3, $4::jsonb, $5, $6, "
     "$7, $8, "
       + ts(9) + ") ON CONFLICT (id) DO NOTHING"},
    {"room_updated",
     "UPDATE rooms SET name = $2, description = $3, tags = $4::jsonb, "
     "member_limit = $5, is_public = $6 WHERE id = $1"},
    {"member_joined",
     "WITH added AS (INSERT INTO memberships (room, member, joined_at) "
     "VALUES ($1, $2, "
       + ts(3)
       + ") ON CONFLICT DO NOTHING RETURNING 1) UPDATE rooms SET "
         "member_count = member_count + (SELECT count(*) FROM added) "
         "WHERE id = $1"},
    {"member_gone",
     "WITH gone AS (DELETE FROM memberships WHERE room = $1 AND member = $2 "
     "RETURNING 1) UPDATE rooms SET member_count = member_count - "
     "(SELECT count(*) FROM gone) WHERE id = $1"},
    // A run of posts in one statement: $1 is a JSON array of
    // {room, seq, author, body, cmid, at}; the rows inserted are counted
    // into their rooms and minutes.
    {"messages_posted",
     "WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(room "
     "text, seq bigint, author text, body text, cmid text, at bigint)), "
     "ins AS (INSERT INTO messages (room, seq, author, body, "
     "client_message_id, posted_at) SELECT room, seq, author, body, cmid, "
     "to_timestamp(at / 1000.0) FROM x ON CONFLICT DO NOTHING RETURNING "
     "room, seq, posted_at), "
     "counted AS (UPDATE rooms r SET message_count = r.message_count + c.n, "
     "last_message = greatest(r.last_message, c.top) FROM (SELECT room, "
     "count(*) AS n, max(seq) AS top FROM ins GROUP BY room) c WHERE r.id = "
     "c.room) "
     "INSERT INTO room_messages_per_minute (room, minute, messages) SELECT "
     "room, date_trunc('minute', posted_at), count(*) FROM ins GROUP BY 1, 2 "
     "ON CONFLICT (room, minute) DO UPDATE SET messages = "
     "room_messages_per_minute.messages + excluded.messages"},
    // A run of room events' frames: $1 is a JSON array of {room, seq,
    // frame}.
    {"room_events",
     "INSERT INTO room_events (room, seq, frame) SELECT room, seq, frame "
     "FROM jsonb_to_recordset($1::jsonb) AS x(room text, seq bigint, frame "
     "text) ON CONFLICT DO NOTHING"},
    {"message_edited", "UPDATE messages SET body = $3, edited_at = " + ts(4)
                         + " WHERE room = $1 AND seq = $2"},
    {"message_deleted",
     "UPDATE messages SET deleted = true, body = '' WHERE room = $1 AND "
     "seq = $2"},
    {"room_closed", "UPDATE rooms SET closed = true WHERE id = $1"},
    {"schedule_created",
     "INSERT INTO schedules (id, room, creator, title, starts_at, place, "
     "capacity, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
       + ts(8) + ") ON CONFLICT (id) DO NOTHING"},
    {"schedule_person",
     "INSERT INTO schedule_people (schedule, member, status, since) VALUES "
     "($1, $2, $3, "
       + ts(4)
       + ") ON CONFLICT (schedule, member) DO UPDATE SET status = "
         "excluded.status"},
    {"schedule_person_gone",
     "DELETE FROM schedule_people WHERE schedule = $1 AND member = $2"},
    {"schedule_seats",
     "UPDATE schedules SET seats_taken = (SELECT count(*) FROM "
     "schedule_people WHERE schedule = $1 AND status = 'seated') WHERE id = "
     "$1"},
    {"schedule_closed", "UPDATE schedules SET closed = true WHERE id = $1"},
    {"notification",
     "INSERT INTO notifications (user_id, id, kind, frame, created_at) "
     "SELECT $1, $2, $3, $4::jsonb, "
       + ts(5)
       + " WHERE EXISTS (SELECT 1 FROM users WHERE id = $1) ON CONFLICT DO "
         "NOTHING"},
    {"notifications_read",
     "INSERT INTO notification_reads (user_id, up_to) VALUES ($1, $2) ON "
     "CONFLICT (user_id) DO UPDATE SET up_to = greatest("
     "notification_reads.up_to, excluded.up_to)"},
  };
  return all;
}

/// Rows waiting to be inserted together: one `statement` over a JSON
/// array of them (jsonb_to_recordset) per run, or per 5,000.
class row_run {
public:
  row_run(pqxx::work& tx, const char* statement)
    : tx_(tx), statement_(statement) {
    // nop
  }

  void add(nlohmann::json row) {
    rows_.push_back(std::move(row));
    if (rows_.size() >= 5000)
      flush();
  }

  void flush() {
    if (rows_.empty())
      return;
    tx_.exec_prepared(statement_, rows_.dump());
    rows_ = nlohmann::json::array();
  }

private:
  pqxx::work& tx_;
  const char* statement_;
  nlohmann::json rows_ = nlohmann::json::array();
};

nlohmann::json post_row(const events::room_message_posted& e,
                        std::int64_t when) {
  return {{"room", e.room.value()},      {"seq", e.message.value()},
          {"author", e.author.value()},  {"body", e.text},
          {"cmid", e.client_message_id}, {"at", when}};
}

nlohmann::json frame_row(const events::event_envelope& e) {
  return {{"room", e.aggregate.value()},
          {"seq", e.seq.value()},
          {"frame", events::room_event_frame(e)}};
}

/// Applies one event inside `tx` (posts go through a row_run).
class applier {
public:
  applier(pqxx::work& tx, std::int64_t when) : tx_(tx), when_(when) {
    // nop
  }

  void operator()(const events::user_registered& e) {
    tx_.exec_prepared("user_registered", e.user.value(), e.username,
                      e.display_name, e.image_url, when_);
    tx_.exec_prepared("user_per_day", when_);
  }
  void operator()(const events::user_profile_changed& e) {
    tx_.exec_prepared("user_profile", e.user.value(), e.display_name,
                      e.image_url);
  }
  void operator()(const events::user_deactivated& e) {
    tx_.exec_prepared("user_deactivated", e.user.value());
  }
  void operator()(const events::user_friend_added& e) {
    tx_.exec_prepared("friend_added", e.user.value(), e.friend_user.value(),
                      when_);
  }
  void operator()(const events::user_friend_removed& e) {
    tx_.exec_prepared("friend_removed", e.user.value(), e.friend_user.value());
  }
  void operator()(const events::user_notifications_read& e) {
    tx_.exec_prepared("notifications_read", e.user.value(), e.up_to);
  }
  void operator()(const events::room_created& e) {
    tx_.exec_prepared("room_created", e.room.value(), e.name, e.description,
                      nlohmann::json(e.tags).dump(), e.owner.value(),
                      static_cast<std::int64_t>(e.member_limit), e.is_public,
                      e.direct, when_);
  }
  void operator()(const events::room_updated& e) {
    tx_.exec_prepared("room_updated", e.room.value(), e.name, e.description,
                      nlohmann::json(e.tags).dump(),
                      static_cast<std::int64_t>(e.member_limit), e.is_public);
  }
  void operator()(const events::room_member_joined& e) {
    tx_.exec_prepared("member_joined", e.room.value(), e.member.value(), when_);
  }
  void operator()(const events::room_member_left& e) {
    tx_.exec_prepared("member_gone", e.room.value(), e.member.value());
  }
  void operator()(const events::room_member_kicked& e) {
    tx_.exec_prepared("member_gone", e.room.value(), e.member.value());
  }
  void operator()(const events::room_member_banned& e) {
    tx_.exec_prepared("member_gone", e.room.value(), e.member.value());
  }
  void operator()(const events::room_message_edited& e) {
    tx_.exec_prepared("message_edited", e.room.value(),
                      static_cast<std::int64_t>(e.message.value()), e.text,
                      when_);
  }
  void operator()(const events::room_message_deleted& e) {
    tx_.exec_prepared("message_deleted", e.room.value(),
                      static_cast<std::int64_t>(e.message.value()));
  }
  void operator()(const events::room_closed& e) {
    tx_.exec_prepared("room_closed", e.room.value());
  }
  void operator()(const events::schedule_created& e) {
    tx_.exec_prepared("schedule_created", e.schedule.value(), e.room.value(),
                      e.creator.value(), e.title, e.starts_at, e.place,
                      static_cast<std::int64_t>(e.capacity), when_);
  }
  void operator()(const events::schedule_seat_taken& e) {
    person(e.schedule.value(), e.member.value(), "seated");
  }
  void operator()(const events::schedule_waitlisted& e) {
    person(e.schedule.value(), e.member.value(), "waiting");
  }
  void operator()(const events::schedule_promoted& e) {
    person(e.schedule.value(), e.member.value(), "seated");
  }
  void operator()(const events::schedule_seat_released& e) {
    tx_.exec_prepared("schedule_person_gone", e.schedule.value(),
                      e.member.value());
    tx_.exec_prepared("schedule_seats", e.schedule.value());
  }
  void operator()(const events::schedule_closed& e) {
    tx_.exec_prepared("schedule_closed", e.schedule.value());
  }
  /// Events this read model does not keep (sagas' and the like).
  template<class Other>
  void operator()(const Other&) {
    // nop
  }

private:
  void person(const std::string& schedule, const std::string& member,
              const char* status) {
    tx_.exec_prepared("schedule_person", schedule, member, status, when_);
    tx_.exec_prepared("schedule_seats", schedule);
  }

  pqxx::work& tx_;
  std::int64_t when_;
};

infra::error store_error(const std::exception& e) {
  std::string what = e.what();
  while (!what.empty() && (what.back() == '\n' || what.back() == ' '))
    what.pop_back();
  bool gone = dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr;
  return {gone ? infra::errc::unreachable : infra::errc::rejected,
          "postgres: " + what};
}

} // namespace

/// The connection and what was prepared on it.
struct postgres_projection::session {
  explicit session(const std::string& url) : conn(url) {
    // nop
  }
  pqxx::connection conn;
};

postgres_projection::postgres_projection(postgres_projection_options options)
  : options_(std::move(options)) {
  // nop
}

postgres_projection::~postgres_projection() = default;

const std::string& postgres_projection::name() const {
  return options_.name;
}

std::vector<std::string> postgres_projection::topics() const {
  if (!options_.topics.empty())
    return options_.topics;
  return {infra::topic_of(events::aggregate_kind::user),
          infra::topic_of(events::aggregate_kind::room),
          infra::topic_of(events::aggregate_kind::schedule)};
}

postgres_projection::session& postgres_projection::connection() {
  if (conn_ && conn_->conn.is_open())
    return *conn_;
  conn_.reset();
  auto conn = std::make_unique<session>(
    infra::with_connect_timeout(options_.url, options_.connect_timeout));
  if (!options_.schema.empty()) {
    auto name = conn->conn.quote_name(options_.schema);
    pqxx::nontransaction tx{conn->conn};
    tx.exec("CREATE SCHEMA IF NOT EXISTS " + name);
    tx.exec("SET search_path TO " + name);
  }
  auto applied = migrate(conn->conn);
  for (auto version : applied)
    spdlog::info("postgres read model: applied migration {}", version);
  for (const auto& [name, sql] : statements())
    conn->conn.prepare(name, sql);
  conn_ = std::move(conn);
  return *conn_;
}

infra::result<checkpoints> postgres_projection::load_checkpoints() {
  try {
    pqxx::read_transaction tx{connection().conn};
    checkpoints out;
    for (const auto& row : tx.exec_params(
           "SELECT topic, partition, next_offset FROM projection_offsets "
           "WHERE projection = $1",
           options_.name))
      out[{row[0].as<std::string>(), events::partition_id{row[1].as<int>()}}]
        = events::log_offset{row[2].as<std::int64_t>()};
    return out;
  } catch (const std::exception& e) {
    conn_.reset();
    return store_error(e);
  }
}

infra::result<applied> postgres_projection::apply(const batch& b) {
  try {
    pqxx::work tx{connection().conn};
    // Checkpoints first: their rows are locked until the commit, so a
    // second runner of a partition waits here and then finds it moved on.
    for (const auto& [tp, range] : b.ranges) {
      auto moved = tx.exec_prepared("move_checkpoint", options_.name, tp.topic,
                                    tp.partition.value(), range.next.value(),
                                    range.from.value());
      if (moved.affected_rows() == 1)
        continue;
      if (range.from.value() == 0
          && tx.exec_prepared("first_checkpoint", options_.name, tp.topic,
                              tp.partition.value(), range.next.value())
                 .affected_rows()
               == 1)
        continue;
      return applied::moved_on; // rolled back: nothing of the batch applied
    }
    // Posts are flushed before any other event (which may edit one of
    // them); frames are read by nothing inside the batch.
    row_run posts{tx, "messages_posted"};
    row_run frames{tx, "room_events"};
    for (const auto& record : b.records)
      for (const auto& d : record.decoded) {
        auto when = static_cast<std::int64_t>(
          d.envelope.occurred_at.time_since_epoch().count());
        if (d.envelope.aggregate_type == events::aggregate_kind::room)
          frames.add(frame_row(d.envelope));
        // The notifications an event makes, as the gateway pushes them
        // (one rule, projections/notifications.hpp), kept per user.
        for (const auto& n : notifications_of(d.envelope))
          tx.exec_prepared("notification", n.user, n.id, n.kind, n.frame, when);
        if (const auto* post
            = std::get_if<events::room_message_posted>(&d.event)) {
          posts.add(post_row(*post, when));
          continue;
        }
        posts.flush();
        applier apply{tx, when};
        std::visit(apply, d.event);
      }
    posts.flush();
    frames.flush();
    tx.commit();
    return applied::done;
  } catch (const std::exception& e) {
    conn_.reset();
    return store_error(e);
  }
}

} // namespace moim::projections
