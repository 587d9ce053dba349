#include "projections/postgres/read_model.hpp"

#include "infra/postgres/postgres_probe.hpp"

#include <pqxx/pqxx>

namespace moim::projections {

namespace {

infra::error query_error(const std::exception& e) {
  std::string what = e.what();
  while (!what.empty() && (what.back() == '\n' || what.back() == ' '))
    what.pop_back();
  return {infra::errc::unreachable, "postgres: " + what};
}

constexpr const char* ms_of = "(extract(epoch FROM %s) * 1000)::bigint";

std::string ms(const char* column) {
  char buf[96];
  std::snprintf(buf, sizeof buf, ms_of, column);
  return buf;
}

} // namespace

struct postgres_read_model::session {
  explicit session(const std::string& url) : conn(url) {
    // nop
  }
  pqxx::connection conn;
};

/// A connection taken from the pool for one query, given back unless it
/// broke.
class postgres_read_model::lease {
public:
  explicit lease(postgres_read_model& pool) : pool_(pool) {
    {
      std::lock_guard<std::mutex> guard{pool_.mtx_};
      if (!pool_.idle_.empty()) {
        conn_ = std::move(pool_.idle_.back());
        pool_.idle_.pop_back();
      }
    }
    if (!conn_ || !conn_->conn.is_open())
      conn_ = std::make_unique<session>(
        infra::with_connect_timeout(pool_.url_, pool_.timeout_));
  }
  ~lease() {
    if (!conn_ || !conn_->conn.is_open())
      return;
    std::lock_guard<std::mutex> guard{pool_.mtx_};
    if (pool_.idle_.size() < pool_.max_)
      pool_.idle_.push_back(std::move(conn_));
  }
  lease(const lease&) = delete;
  lease& operator=(const lease&) = delete;

  pqxx::connection& operator*() {
    return conn_->conn;
  }

private:
  postgres_read_model& pool_;
  std::unique_ptr<session> conn_;
};

postgres_read_model::postgres_read_model(std::string url,
                                         std::chrono::milliseconds timeout,
                                         std::size_t connections)
  : url_(std::move(url)), timeout_(timeout), max_(connections) {
  // nop
}

postgres_read_model::~postgres_read_model() = default;

infra::result<std::vector<message_row>>
postgres_read_model::history(const history_page& page) {
  try {
    lease conn{*this};
    pqxx::read_transaction tx{*conn};
    auto limit = static_cast<std::int64_t>(page.limit);
    const std::string columns = "seq, author, body, client_message_id, "
                                + ms("posted_at") + ", coalesce("
                                + ms("edited_at") + ", 0), deleted";
    pqxx::result rows;
    if (page.after)
      rows = tx.exec_params("SELECT " + columns
                              + " FROM messages WHERE room = $1 AND seq > $2 "
                                "ORDER BY seq ASC LIMIT $3",
                            page.room, static_cast<std::int64_t>(*page.after),
                            limit);
    else
      rows = tx.exec_params("SELECT " + columns
                              + " FROM messages WHERE room = $1 AND seq < $2 "
                                "ORDER BY seq DESC LIMIT $3",
                            page.room,
                            static_cast<std::int64_t>(page.before.value_or(
                              std::numeric_limits<std::int64_t>::max())),
                            limit);
    std::vector<message_row> out;
    out.reserve(rows.size());
    for (const auto& row : rows)
      out.push_back({row[0].as<std::uint64_t>(), row[1].as<std::string>(),
                     row[2].as<std::string>(), row[3].as<std::string>(),
                     row[4].as<std::int64_t>(), row[5].as<std::int64_t>(),
                     row[6].as<bool>()});
    return out;
  } catch (const std::exception& e) {
    return query_error(e);
  }
}

infra::result<std::vector<std::string>>
postgres_read_model::room_frames(const std::string& room, std::uint64_t after,
                                 std::uint64_t through) {
  try {
    lease conn{*this};
    pqxx::read_transaction tx{*conn};
    auto rows = tx.exec_params(
      "SELECT seq, frame FROM room_events WHERE room = $1 AND seq > $2 AND "
      "seq <= $3 ORDER BY seq",
      room, static_cast<std::int64_t>(after),
      static_cast<std::int64_t>(through));
    std::vector<std::string> out;
    out.reserve(rows.size());
    auto next = after + 1;
    for (const auto& row : rows) {
      if (row[0].as<std::uint64_t>() != next)
        break; // a gap: the projection has not applied it yet
      out.push_back(row[1].as<std::string>());
      ++next;
    }
    return out;
  } catch (const std::exception& e) {
    return query_error(e);
  }
}

infra::result<notification_page> postgres_read_model::notifications(
  const std::string& user, const std::string& before, std::size_t limit) {
  try {
    lease conn{*this};
    pqxx::read_transaction tx{*conn};
    auto mark = tx.exec_params(
      "SELECT up_to FROM notification_reads WHERE user_id = $1", user);
    std::string up_to = mark.empty() ? "" : mark[0][0].as<std::string>();
    notification_page page;
    for (const auto& row : tx.exec_params(
           "SELECT id, kind, frame::text FROM notifications WHERE user_id = "
           "$1 AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3",
           user, before, static_cast<std::int64_t>(limit))) {
      auto id = row[0].as<std::string>();
      page.items.push_back(
        {id, row[1].as<std::string>(), row[2].as<std::string>(), id <= up_to});
    }
    page.unread
      = tx.exec_params1(
            "SELECT count(*) FROM (SELECT 1 FROM notifications WHERE user_id "
            "= $1 AND id > $2 LIMIT $3) unread",
            user, up_to,
            static_cast<std::int64_t>(notification_page::unread_cap))[0]
          .as<std::size_t>();
    return page;
  } catch (const std::exception& e) {
    return query_error(e);
  }
}

infra::result<std::pair<bool, std::vector<notification_row>>>
postgres_read_model::notifications_after(const std::string& user,
                                         const std::string& after,
                                         std::size_t limit) {
  try {
    lease conn{*this};
    pqxx::read_transaction tx{*conn};
    std::pair<bool, std::vector<notification_row>> out{false, {}};
    if (tx.exec_params("SELECT 1 FROM notifications WHERE user_id = $1 AND "
                       "id = $2",
                       user, after)
          .empty())
      return out;
    out.first = true;
    for (const auto& row : tx.exec_params(
           "SELECT id, kind, frame::text FROM notifications WHERE user_id = "
           "$1 AND id > $2 ORDER BY id ASC LIMIT $3",
           user, after, static_cast<std::int64_t>(limit)))
      out.second.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                            row[2].as<std::string>(), false});
    return out;
  } catch (const std::exception& e) {
    return query_error(e);
  }
}

infra::result<std::vector<count_at>> postgres_read_model::messages_over_time(
  const std::string& room, std::int64_t from_ms, std::int64_t to_ms,
  const std::string& step) {
  try {
    lease conn{*this};
    pqxx::read_transaction tx{*conn};
    std::vector<count_at> out;
    // `step` is one of three words (the caller checks); date_trunc takes
    // it as a parameter all the same.
    for (const auto& row : tx.exec_params(
           "SELECT (extract(epoch FROM date_trunc($2, minute)) * 1000)::bigint"
           ", sum(messages)::bigint FROM room_messages_per_minute WHERE room "
           "= $1 AND minute >= to_timestamp($3::bigint / 1000.0) AND minute < "
           "to_timestamp($4::bigint / 1000.0) GROUP BY 1 ORDER BY 1",
           room, step, from_ms, to_ms))
      out.push_back({row[0].as<std::int64_t>(), row[1].as<std::int64_t>()});
    return out;
  } catch (const std::exception& e) {
    return query_error(e);
  }
}

infra::result<std::vector<count_at>> postgres_read_model::new_users(int days) {
  try {
    lease conn{*this};
    pqxx::read_transaction tx{*conn};
    std::vector<count_at> out;
    for (const auto& row : tx.exec_params(
           "SELECT (extract(epoch FROM day::timestamp) * 1000)::bigint, "
           "users::bigint FROM new_users_per_day WHERE day > (now() AT TIME "
           "ZONE 'UTC')::date - $1::integer ORDER BY day",
           days))
      out.push_back({row[0].as<std::int64_t>(), row[1].as<std::int64_t>()});
    return out;
  } catch (const std::exception& e) {
    return query_error(e);
  }
}

} // namespace moim::projections
