#include "projections/postgres/migrations.hpp"

#include <pqxx/pqxx>

namespace moim::projections {

const std::vector<migration>& postgres_migrations() {
  static const std::vector<migration> steps{
    {1,
     "read model: offsets, users, rooms, memberships, messages, friends, "
     "schedules, counts over time",
     R"sql(
CREATE TABLE projection_offsets (
  projection  text    NOT NULL,
  topic       text    NOT NULL,
  partition   integer NOT NULL,
  next_offset bigint  NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (projection, topic, partition)
);
CREATE TABLE users (
  id           text PRIMARY KEY,
  username     text NOT NULL,
  display_name text NOT NULL,
  image_url    text NOT NULL DEFAULT '',
  deactivated  boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL
);
CREATE TABLE rooms (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  description   text NOT NULL,
  tags          jsonb NOT NULL,
  owner         text NOT NULL,
  member_limit  integer NOT NULL,
  is_public     boolean NOT NULL,
  direct        boolean NOT NULL,
  closed        boolean NOT NULL DEFAULT false,
  member_count  integer NOT NULL DEFAULT 0,
  message_count bigint NOT NULL DEFAULT 0,
  last_message  bigint NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL
);
CREATE TABLE memberships (
  room      text NOT NULL,
  member    text NOT NULL,
  joined_at timestamptz NOT NULL,
  PRIMARY KEY (room, member)
);
CREATE INDEX memberships_by_member ON memberships (member, joined_at DESC);
CREATE TABLE messages (
  room              text   NOT NULL,
  seq               bigint NOT NULL,
  author            text   NOT NULL,
  body              text   NOT NULL,
  client_message_id text   NOT NULL,
  posted_at         timestamptz NOT NULL,
  edited_at         timestamptz,
  deleted           boolean NOT NULL DEFAULT false,
  PRIMARY KEY (room, seq)
);
CREATE TABLE friends (
  user_id text NOT NULL,
  friend  text NOT NULL,
  since   timestamptz NOT NULL,
  PRIMARY KEY (user_id, friend)
);
CREATE TABLE schedules (
  id          text PRIMARY KEY,
  room        text NOT NULL,
  creator     text NOT NULL,
  title       text NOT NULL,
  starts_at   text NOT NULL,
  place       text NOT NULL,
  capacity    integer NOT NULL,
  seats_taken integer NOT NULL DEFAULT 0,
  closed      boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL
);
CREATE INDEX schedules_by_room ON schedules (room, created_at);
CREATE TABLE schedule_people (
  schedule text NOT NULL,
  member   text NOT NULL,
  status   text NOT NULL CHECK (status IN ('seated', 'waiting')),
  since    timestamptz NOT NULL,
  PRIMARY KEY (schedule, member)
);
CREATE TABLE room_messages_per_minute (
  room     text NOT NULL,
  minute   timestamptz NOT NULL,
  messages integer NOT NULL,
  PRIMARY KEY (room, minute)
);
CREATE TABLE new_users_per_day (
  day   date PRIMARY KEY,
  users integer NOT NULL
);
)sql"},
    {2, "notifications per user, and how far each user has read them",
     R"sql(
CREATE TABLE notifications (
  user_id    text NOT NULL,
  id         text COLLATE "C" NOT NULL,
  kind       text NOT NULL,
  frame      jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, id)
);
CREATE TABLE notification_reads (
  user_id text PRIMARY KEY,
  up_to   text COLLATE "C" NOT NULL
);
)sql"},
    {3,
     "every room event as the frame clients got it live, for catching a "
     "reconnecting WebSocket client up past the gateway's recent events",
     R"sql(
CREATE TABLE room_events (
  room  text   NOT NULL,
  seq   bigint NOT NULL,
  frame text   NOT NULL,
  PRIMARY KEY (room, seq)
);
)sql"},
  };
  return steps;
}

std::vector<int> migrate(pqxx::connection_base& conn) {
  pqxx::work tx{conn};
  tx.exec("SELECT pg_advisory_xact_lock(hashtext('moim-migrations'))");
  tx.exec("CREATE TABLE IF NOT EXISTS moim_schema_migrations ("
          " version integer PRIMARY KEY, name text NOT NULL,"
          " applied_at timestamptz NOT NULL DEFAULT now())");
  std::vector<int> applied;
  for (const auto& step : postgres_migrations()) {
    auto done = tx.exec_params(
      "SELECT 1 FROM moim_schema_migrations WHERE version = $1", step.version);
    if (!done.empty())
      continue;
    tx.exec(step.sql);
    tx.exec_params(
      "INSERT INTO moim_schema_migrations (version, name) VALUES ($1, $2)",
      step.version, step.name);
    applied.push_back(step.version);
  }
  tx.commit();
  return applied;
}

} // namespace moim::projections
