// The search and Redis read models, built by their projections from a log
// of real events: synonyms with a typo in them, Korean text, strict
// mappings that an unknown field cannot extend, ordered and idempotent
// documents, and the rooms each user has joined; and poison events parked
// on a dead-letter topic.

#include "events/catalogue/catalogue.hpp"
#include "infra/http/client.hpp"
#include "infra/log/embedded/embedded_log.hpp"
#include "infra/redis/redis_client.hpp"
#include "projections/postgres/postgres_projection.hpp"
#include "projections/redis/redis_projection.hpp"
#include "projections/redis/redis_read_model.hpp"
#include "projections/runner.hpp"
#include "projections/search/search_projection.hpp"
#include "projections/search/search_read_model.hpp"
#include "tests/integration/log_factories.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <thread>

using namespace moim;
using namespace moim::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

/// Appends `events` of one aggregate (seq 1, 2, ...) to its partition.
void append_all(infra::event_log& log, const std::string& topic,
                const std::string& aggregate,
                const std::vector<events::any_event>& list,
                std::function<void(events::event_envelope&)> tweak = {}) {
  events::aggregate_id id{aggregate};
  infra::topic_partition tp{topic, log.partition_of(topic, id)};
  auto writer = log.open_writer(tp);
  REQUIRE(writer);
  std::vector<events::event_envelope> batch;
  std::uint64_t seq = 0;
  for (const auto& e : list) {
    batch.push_back(
      events::encode(e, {id, events::aggregate_seq{++seq}, {}, {}, {}}));
    if (tweak)
      tweak(batch.back());
  }
  auto appended = (*writer)->append_sync(batch);
  REQUIRE(appended);
}

events::room_created room(const std::string& id, const std::string& name,
                          std::vector<std::string> tags = {}) {
  return {events::room_id{id},        name, "",   std::move(tags),
          events::user_id{"u-owner"}, 50,   true, false};
}

events::room_member_joined joined(const std::string& room,
                                  const std::string& who) {
  return {events::room_id{room}, events::user_id{who}};
}

/// Runs `p` until `done()` holds (or 60 s pass).
template<class Done>
void run_until(infra::event_log& log,
               std::shared_ptr<projections::projection> p, Done done) {
  projections::runner_options o;
  o.linger = 5ms;
  projections::projection_runner runner{log, std::move(p), o};
  runner.start();
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!done() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(100ms);
  auto s = runner.status();
  runner.stop();
  INFO("runner: " << s.state << " " << s.last_error);
  REQUIRE(done());
}

} // namespace

TEST_CASE("search read model: index-time synonyms with a typo, Korean "
          "text, strict mappings, versions from log offsets",
          "[projection][search]") {
  embedded_factory factory;
  auto topic = factory.topic("rooms");
  auto log = factory.open({{topic, 4}});
  projections::search_layout layout;
  layout.url = stack_env("MOIM_SEARCH_URL");
  layout.prefix = unique_name("it-search") + "-";
  layout.synonyms = {"meetup, gathering", "hiking, 등산"};

  append_all(*log, topic, "r-sunday",
             {room("r-sunday", "Sunday gathering", {"outdoors"}),
              joined("r-sunday", "u1"), joined("r-sunday", "u2")});
  append_all(*log, topic, "r-seoul", {room("r-seoul", "주말 등산 모임")});
  // An event carrying a field no version of it has: decoded as the
  // catalogue knows it, so the document cannot grow a field.
  append_all(*log, topic, "r-extra", {room("r-extra", "Chess club")},
             [](events::event_envelope& e) {
               e.payload["sneaky_field"] = {{"nested", 42}};
             });
  append_all(*log, topic, "r-chat",
             {room("r-chat", "Chat"),
              events::room_message_posted{
                events::room_id{"r-chat"}, events::message_seq{1},
                events::user_id{"u1"}, "who brings the tent on saturday", ""},
              events::room_message_posted{
                events::room_id{"r-chat"}, events::message_seq{2},
                events::user_id{"u2"}, "I bring the tent", ""},
              events::room_message_deleted{events::room_id{"r-chat"},
                                           events::message_seq{2},
                                           events::user_id{"u2"}}});

  projections::search_read_model search{layout};
  auto found = [&](const std::string& text) {
    auto hits = search.rooms({text, {}, 10});
    std::vector<std::string> ids;
    if (hits)
      for (const auto& h : *hits)
        ids.push_back(h.id);
    return ids;
  };
  run_until(
    *log,
    std::make_shared<projections::search_projection>(
      projections::search_projection_options{layout, layout.prefix, {topic}}),
    [&] {
      auto chess = found("chess");
      auto tent = search.messages("r-chat", "tent", 10);
      return !found("gathering").empty() && !chess.empty()
             && !found("등산").empty() && tent && !tent->empty();
    });

  // "meetpu": a typo of a synonym of a word in the name.
  auto typo = found("meetpu");
  REQUIRE(typo.size() == 1);
  CHECK(typo[0] == "r-sunday");
  CHECK(found("meetup") == std::vector<std::string>{"r-sunday"});
  // Korean: the word itself, and its English synonym.
  CHECK(found("등산") == std::vector<std::string>{"r-seoul"});
  CHECK(found("hiking") == std::vector<std::string>{"r-seoul"});
  CHECK(found("nothing like it").empty());
  // The member count came from the joins, in order, once each.
  auto sunday = search.rooms({"gathering", {}, 10});
  REQUIRE(sunday);
  REQUIRE(sunday->size() == 1);
  CHECK((*sunday)[0].member_count == 2);
  CHECK((*sunday)[0].tags == std::vector<std::string>{"outdoors"});
  auto tagged = search.rooms({"", {"outdoors"}, 10});
  REQUIRE(tagged);
  CHECK(tagged->size() == 1);
  // Messages: fuzzy, the deleted one never.
  auto tent = search.messages("r-chat", "tnet", 10);
  REQUIRE(tent);
  REQUIRE(tent->size() == 1);
  CHECK((*tent)[0].seq == 1);

  // The mapping is exactly the declared one: the unknown field made none.
  auto mapping = infra::http_call(
    "GET", layout.url + "/" + layout.rooms() + "/_mapping", {}, 5s);
  REQUIRE(mapping);
  auto doc = json::parse(mapping->body);
  REQUIRE(doc.size() == 1);
  const auto& m = doc.begin().value()["mappings"];
  CHECK(m["dynamic"] == "strict");
  std::set<std::string> fields;
  for (const auto& [name, value] : m["properties"].items())
    fields.insert(name);
  CHECK(fields
        == std::set<std::string>{"closed", "created_at", "description",
                                 "direct", "id", "is_public", "member_count",
                                 "name", "owner", "tags"});
  // The alias points at the versioned index.
  CHECK(doc.begin().key() == layout.rooms() + "-v1");

  // A document written with an older version than it holds is refused:
  // a replayed event changes nothing.
  auto stale
    = infra::http_call("PUT",
                       layout.url + "/" + layout.rooms()
                         + "/_doc/r-sunday?version=1&version_type=external",
                       json{{"id", "r-sunday"}, {"name", "stale"}}.dump(), 5s);
  REQUIRE(stale);
  CHECK(stale->status == 409);
  CHECK(found("stale").empty());
  static_cast<void>(infra::http_call(
    "DELETE", layout.url + "/" + layout.prefix + "*", {}, 10s));
}

TEST_CASE("redis read model: my rooms, member counts and seats, each batch "
          "with its checkpoints in one transaction",
          "[projection][redis]") {
  embedded_factory factory;
  auto rooms_topic = factory.topic("rooms");
  auto schedules_topic = factory.topic("schedules");
  auto log = factory.open({{rooms_topic, 4}, {schedules_topic, 4}});
  auto url = stack_env("MOIM_REDIS_URL");
  auto prefix = unique_name("it-redis") + ":";

  append_all(*log, rooms_topic, "r-a",
             {room("r-a", "Alpha"), joined("r-a", "u1"), joined("r-a", "u2")});
  append_all(
    *log, rooms_topic, "r-b",
    {room("r-b", "Beta"), joined("r-b", "u1"),
     events::room_member_left{events::room_id{"r-b"}, events::user_id{"u1"}},
     joined("r-b", "u3")});
  events::schedule_id s{"s-1"};
  append_all(
    *log, schedules_topic, "s-1",
    {events::schedule_created{s, events::room_id{"r-a"}, events::user_id{"u1"},
                              "Hike", "2027-01-01", "", 1},
     events::schedule_seat_taken{s, events::user_id{"u1"}},
     events::schedule_waitlisted{s, events::user_id{"u2"}, 1},
     events::schedule_waitlisted{s, events::user_id{"u3"}, 2},
     events::schedule_seat_released{s, events::user_id{"u1"}},
     events::schedule_promoted{s, events::user_id{"u2"}}});

  projections::redis_read_model reads{url, prefix, 2s};
  infra::redis_client redis{url, 2s};
  auto seated = [&] {
    return redis.command({"SCARD", prefix + "schedule:s-1:seated"});
  };
  run_until(
    *log,
    std::make_shared<projections::redis_projection>(
      projections::redis_projection_options{
        url, prefix, prefix, 2s, {rooms_topic, schedules_topic}}),
    [&] {
      auto u3 = reads.rooms_of("u3", 10);
      auto w = redis.command({"ZCARD", prefix + "schedule:s-1:waiting"});
      return u3 && u3->size() == 1 && w && *w && **w == "1";
    });

  auto u1 = reads.rooms_of("u1", 10);
  REQUIRE(u1);
  REQUIRE(u1->size() == 1); // joined r-b and left it
  CHECK((*u1)[0].id == "r-a");
  CHECK((*u1)[0].name == "Alpha");
  CHECK((*u1)[0].member_count == 2);
  auto u3 = reads.rooms_of("u3", 10);
  REQUIRE(u3);
  CHECK((*u3)[0].member_count == 1); // r-b: u1 joined and left, u3 joined
  auto seats = seated();
  REQUIRE(seats);
  CHECK(**seats == "1"); // u2, promoted after u1 released the one seat
  auto member
    = redis.command({"SISMEMBER", prefix + "schedule:s-1:seated", "u2"});
  REQUIRE(member);
  CHECK(**member == "1");
  auto next
    = redis.pipeline({{"ZRANGE", prefix + "schedule:s-1:waiting", "0", "-1"}});
  REQUIRE(next);
  REQUIRE(next->front().items.size() == 1);
  CHECK(next->front().items[0].text == "u3");
  // The checkpoints are in Redis beside the data (a key per partition),
  // and a runner that starts from them applies nothing twice.
  std::set<int> partitions;
  for (const auto* id : {"r-a", "r-b"})
    partitions.insert(
      log->partition_of(rooms_topic, events::aggregate_id{id}).value());
  auto again = std::make_shared<projections::redis_projection>(
    projections::redis_projection_options{
      url, prefix, prefix, 2s, {rooms_topic, schedules_topic}});
  auto held = again->load_checkpoints();
  REQUIRE(held);
  CHECK(held->size() == partitions.size() + 1);
  {
    projections::projection_runner second{*log, again};
    second.start();
    std::this_thread::sleep_for(1500ms);
    CHECK(second.status().state == "running");
    CHECK(second.status().events == 0);
  }
  auto after = reads.rooms_of("u1", 10);
  REQUIRE(after);
  REQUIRE(after->size() == 1);
  CHECK((*after)[0].member_count == 2);
}

TEMPLATE_TEST_CASE("projection: a poison event is parked with its reason and "
                   "position, other aggregates go on, and the same "
                   "aggregate's later events are parked behind it, across a "
                   "restart",
                   "[projection][poison]", embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("poison");
  auto dlq = factory.topic("dlq");
  auto log = factory.open({{topic, 4}, {dlq, 1}});
  auto url = stack_env("MOIM_POSTGRES_URL");
  auto schema = unique_name("it_poison");
  auto post = [](const std::string& room, std::uint64_t seq,
                 const std::string& text) -> events::any_event {
    return events::room_message_posted{events::room_id{room},
                                       events::message_seq{seq},
                                       events::user_id{"u1"}, text, ""};
  };
  // A: its second post holds a NUL, which Postgres refuses in text; B is
  // fine; C's first event is of a type no build knows.
  append_all(*log, topic, "r-a",
             {post("r-a", 1, "one"), post("r-a", 2, std::string{"t\0o", 3}),
              post("r-a", 3, "three")});
  append_all(
    *log, topic, "r-b",
    {post("r-b", 1, "b1"), post("r-b", 2, "b2"), post("r-b", 3, "b3")});
  append_all(*log, topic, "r-c", {post("r-c", 1, "c1"), post("r-c", 2, "c2")},
             [n = 0](events::event_envelope& e) mutable {
               if (n++ == 0)
                 e.type = "room.exploded";
             });
  auto rows = [&] {
    std::vector<std::string> out;
    try {
      pqxx::connection conn{url};
      pqxx::read_transaction tx{conn};
      for (const auto& row :
           tx.exec("SELECT room || ':' || seq FROM " + conn.quote_name(schema)
                   + ".messages ORDER BY room, seq"))
        out.push_back(row[0].as<std::string>());
    } catch (const std::exception&) {
    }
    return out;
  };
  auto letters = [&] {
    std::vector<json> out;
    auto batch
      = log->read({dlq, events::partition_id{0}}, events::log_offset{0}, 100,
                  infra::bad_record_policy::deliver);
    REQUIRE(batch);
    for (const auto& r : batch->records)
      out.push_back(r.stored.payload);
    return out;
  };
  auto make = [&] {
    projections::postgres_projection_options o;
    o.url = url;
    o.schema = schema;
    o.name = schema;
    o.topics = {topic};
    projections::runner_options run;
    run.linger = 5ms;
    run.min_backoff = 20ms;
    run.dead_letter_topic = dlq;
    return std::make_unique<projections::projection_runner>(
      *log, std::make_shared<projections::postgres_projection>(o), run);
  };
  const std::vector<std::string> applied{"r-a:1", "r-b:1", "r-b:2", "r-b:3"};
  {
    auto runner = make();
    runner->start();
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while ((rows() != applied || letters().size() < 4)
           && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(100ms);
    CHECK(runner->status().parked == 4);
    runner->stop();
  }
  CHECK(rows() == applied);
  auto parked = letters();
  REQUIRE(parked.size() == 4);
  std::map<std::string, json> by_event;
  for (const auto& p : parked) {
    CHECK(p["projection"] == schema);
    CHECK(p["topic"] == topic);
    CHECK(p["offset"].is_number_integer());
    by_event[p.value("aggregate", std::string{}) + ":"
             + std::to_string(p["payload"].value("message", 0))]
      = p;
  }
  REQUIRE(by_event.count("r-a:2") == 1);
  CHECK_THAT(by_event["r-a:2"]["reason"].get<std::string>(),
             Catch::Contains("refused by the store"));
  CHECK(by_event["r-a:2"]["type"] == "room.message_posted");
  REQUIRE(by_event.count("r-a:3") == 1);
  CHECK_THAT(by_event["r-a:3"]["reason"].get<std::string>(),
             Catch::Contains("behind a parked event"));
  REQUIRE(by_event.count("r-c:1") == 1);
  CHECK_THAT(by_event["r-c:1"]["reason"].get<std::string>(),
             Catch::Contains("unknown_type"));
  CHECK(by_event["r-c:1"]["type"] == "room.exploded");
  REQUIRE(by_event.count("r-c:2") == 1);

  // After a restart, A is still parked: its next post waits behind the
  // poison one; B goes on.
  append_all(*log, topic, "r-a", {post("r-a", 4, "four")},
             [](events::event_envelope& e) {
               e.seq = events::aggregate_seq{4};
             });
  append_all(*log, topic, "r-b", {post("r-b", 4, "b4")},
             [](events::event_envelope& e) {
               e.seq = events::aggregate_seq{4};
             });
  {
    auto runner = make();
    runner->start();
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while ((rows().size() < 5 || letters().size() < 5)
           && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(100ms);
    runner->stop();
  }
  CHECK(
    rows()
    == std::vector<std::string>{"r-a:1", "r-b:1", "r-b:2", "r-b:3", "r-b:4"});
  auto after = letters();
  REQUIRE(after.size() == 5);
  CHECK(after.back()["aggregate"] == "r-a");
  CHECK(after.back()["payload"]["message"] == 4);
  pqxx::connection conn{url};
  pqxx::nontransaction tx{conn};
  tx.exec("DROP SCHEMA IF EXISTS " + conn.quote_name(schema) + " CASCADE");
}
