// The event log conformance suite: written once, run against the embedded
// (RocksDB) log and the Kafka log of the local stack.

#include "tests/integration/log_factories.hpp"
#include "tests/support/stack_env.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <set>
#include <thread>

using namespace moim;
using namespace moim::test;
using events::log_offset;
using events::partition_id;
using infra::topic_partition;
using namespace std::chrono_literals;

TEMPLATE_TEST_CASE("log: order per key is kept and positions increase", "[log]",
                   embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("order");
  auto log = factory.open({{topic, 2}});
  topic_partition tp{topic, partition_id{1}};
  auto a = aggregate_in(*log, topic, tp.partition, "a");
  auto b = aggregate_in(*log, topic, tp.partition, "b");
  auto writer = log->open_writer(tp);
  REQUIRE(writer);
  std::vector<events::log_position> acked;
  std::uint64_t seq_a = 0;
  std::uint64_t seq_b = 0;
  for (int i = 0; i < 30; ++i) {
    std::vector<events::event_envelope> batch;
    for (int j = 0; j <= i % 3; ++j) {
      ++seq_a;
      ++seq_b;
      batch.push_back(message_event(a, seq_a, "a" + std::to_string(seq_a)));
      batch.push_back(message_event(b, seq_b, "b" + std::to_string(seq_b)));
    }
    auto positions = (*writer)->append_sync(batch);
    INFO((positions ? std::string{} : positions.err().message));
    REQUIRE(positions);
    REQUIRE(positions->size() == batch.size());
    acked.insert(acked.end(), positions->begin(), positions->end());
  }
  auto records = read_all(*log, tp);
  REQUIRE(records.size() == acked.size());
  std::uint64_t next_a = 1;
  std::uint64_t next_b = 1;
  for (std::size_t i = 0; i < records.size(); ++i) {
    CHECK(records[i].position == acked[i]);
    CHECK(records[i].position.partition == tp.partition);
    if (i > 0)
      CHECK(records[i].position.offset > records[i - 1].position.offset);
    auto text = text_of(records[i]);
    if (records[i].stored.aggregate == a)
      CHECK(text == "a" + std::to_string(next_a++));
    else
      CHECK(text == "b" + std::to_string(next_b++));
  }
  CHECK(next_a == seq_a + 1);
  CHECK(next_b == seq_b + 1);
  auto end = log->end_offset(tp);
  REQUIRE(end);
  CHECK(end->value() > acked.back().offset.value());
}

TEMPLATE_TEST_CASE("log: a batch is visible entirely or not at all", "[log]",
                   embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("atomic");
  auto log = factory.open({{topic, 1}});
  topic_partition tp{topic, partition_id{0}};
  auto writer = log->open_writer(tp);
  REQUIRE(writer);
  constexpr int batch_size = 5;
  constexpr int batches = 40;
  std::atomic<bool> done{false};
  std::thread appender{[&] {
    for (int i = 0; i < batches; ++i) {
      std::vector<events::event_envelope> batch;
      for (int j = 0; j < batch_size; ++j)
        batch.push_back(message_event(events::aggregate_id{"agg"},
                                      i * batch_size + j + 1,
                                      "batch" + std::to_string(i)));
      (*writer)->append(std::move(batch), [](infra::append_result r) {
        REQUIRE(r);
      });
    }
    done = true;
  }};
  // Read while batches land: each batch is seen whole or not at all.
  int observations = 0;
  std::size_t seen = 0;
  while (seen < std::size_t{batches} * batch_size) {
    auto records = read_all(*log, tp);
    std::map<std::string, int> per_batch;
    for (const auto& r : records)
      ++per_batch[text_of(r)];
    for (const auto& [name, count] : per_batch) {
      INFO(name);
      CHECK(count == batch_size);
    }
    seen = records.size();
    ++observations;
  }
  appender.join();
  CHECK(observations >= 1);

  // A batch with one event for another partition is refused whole.
  TestType factory2;
  auto log2_topic = factory2.topic("atomic-routing");
  auto log2 = factory2.open({{log2_topic, 4}});
  topic_partition tp0{log2_topic, partition_id{0}};
  auto w0 = log2->open_writer(tp0);
  REQUIRE(w0);
  auto here = aggregate_in(*log2, log2_topic, partition_id{0}, "here");
  auto there = aggregate_in(*log2, log2_topic, partition_id{1}, "there");
  auto refused = (*w0)->append_sync(
    {message_event(here, 1, "ok"), message_event(there, 1, "misrouted")});
  REQUIRE_FALSE(refused);
  CHECK(refused.err().code == infra::errc::invalid);
  CHECK(read_all(*log2, tp0).empty());
}

TEMPLATE_TEST_CASE("log: reading from a position returns exactly the events "
                   "from there",
                   "[log]", embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("from");
  auto log = factory.open({{topic, 1}});
  topic_partition tp{topic, partition_id{0}};
  auto writer = log->open_writer(tp);
  REQUIRE(writer);
  std::vector<events::log_position> positions;
  for (int i = 1; i <= 12; ++i) {
    auto p = (*writer)->append_sync(
      {message_event(events::aggregate_id{"r"}, i, std::to_string(i))});
    REQUIRE(p);
    positions.push_back(p->front());
  }
  for (std::size_t k : {0u, 1u, 5u, 11u}) {
    auto batch
      = log->read(tp, positions[k].offset, 100, infra::bad_record_policy::stop);
    REQUIRE(batch);
    REQUIRE(batch->records.size() == positions.size() - k);
    for (std::size_t i = 0; i < batch->records.size(); ++i) {
      CHECK(batch->records[i].position == positions[k + i]);
      CHECK(text_of(batch->records[i]) == std::to_string(k + i + 1));
    }
  }
  auto limited
    = log->read(tp, positions[2].offset, 3, infra::bad_record_policy::stop);
  REQUIRE(limited);
  REQUIRE(limited->records.size() == 3);
  auto rest = log->read(tp, limited->next, 100, infra::bad_record_policy::stop);
  REQUIRE(rest);
  REQUIRE_FALSE(rest->records.empty());
  CHECK(rest->records.front().position == positions[5]);
  auto end = log->end_offset(tp);
  REQUIRE(end);
  auto past_end = log->read(tp, *end, 100, infra::bad_record_policy::stop);
  REQUIRE(past_end);
  CHECK(past_end->records.empty());

  // Reads that stop at `max` leave nothing behind that ends the next early.
  std::vector<events::event_envelope> many;
  for (int i = 13; i <= 2512; ++i)
    many.push_back(
      message_event(events::aggregate_id{"r"}, i, std::to_string(i)));
  REQUIRE((*writer)->append_sync(many));
  std::size_t total = 0;
  log_offset next{0};
  for (int reads = 0; reads < 100; ++reads) {
    auto part = log->read(tp, next, 700, infra::bad_record_policy::stop);
    REQUIRE(part);
    if (part->records.empty())
      break;
    total += part->records.size();
    next = part->next;
  }
  CHECK(total == 2512);
  end = log->end_offset(tp);
  REQUIRE(end);
  past_end = log->read(tp, *end, 100, infra::bad_record_policy::stop);
  REQUIRE(past_end);
  CHECK(past_end->records.empty());
}

TEMPLATE_TEST_CASE("log: data survives reopening", "[log]", embedded_factory,
                   kafka_factory) {
  TestType factory;
  auto topic = factory.topic("reopen");
  topic_partition tp{topic, partition_id{0}};
  std::vector<events::log_position> positions;
  {
    auto log = factory.open({{topic, 1}});
    auto writer = log->open_writer(tp);
    REQUIRE(writer);
    auto p = (*writer)->append_sync(
      {message_event(events::aggregate_id{"r"}, 1, "first"),
       message_event(events::aggregate_id{"r"}, 2, "second")});
    REQUIRE(p);
    positions = *p;
  }
  auto log = factory.open({{topic, 1}});
  auto records = read_all(*log, tp);
  REQUIRE(records.size() == 2);
  CHECK(records[0].position == positions[0]);
  CHECK(text_of(records[1]) == "second");
  // A new writer continues after what is there.
  auto writer = log->open_writer(tp);
  REQUIRE(writer);
  auto p = (*writer)->append_sync(
    {message_event(events::aggregate_id{"r"}, 3, "third")});
  REQUIRE(p);
  CHECK(p->front().offset > positions[1].offset);
  CHECK(read_all(*log, tp).size() == 3);
}

TEMPLATE_TEST_CASE("log: concurrent appenders on different partitions and on "
                   "one writer",
                   "[log]", embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("concurrent");
  constexpr int partitions = 4;
  constexpr int per_partition = 150;
  auto log = factory.open({{topic, partitions}});
  std::vector<std::thread> threads;
  for (int p = 0; p < partitions; ++p) {
    threads.emplace_back([&, p] {
      topic_partition tp{topic, partition_id{p}};
      auto writer = log->open_writer(tp);
      REQUIRE(writer);
      auto agg = aggregate_in(*log, topic, tp.partition, "agg");
      std::vector<std::future<infra::append_result>> pending;
      for (int i = 1; i <= per_partition; ++i) {
        auto promise = std::make_shared<std::promise<infra::append_result>>();
        pending.push_back(promise->get_future());
        (*writer)->append({message_event(agg, i, std::to_string(i))},
                          [promise](infra::append_result r) {
                            promise->set_value(std::move(r));
                          });
      }
      for (auto& f : pending)
        REQUIRE(f.get());
    });
  }
  for (auto& t : threads)
    t.join();
  for (int p = 0; p < partitions; ++p) {
    auto records = read_all(*log, {topic, partition_id{p}});
    REQUIRE(records.size() == per_partition);
    for (int i = 0; i < per_partition; ++i)
      CHECK(text_of(records[i]) == std::to_string(i + 1));
  }

  // Many callers on one writer: group commit gives each its own positions.
  topic_partition tp{topic, partition_id{0}};
  auto writer = log->open_writer(tp);
  REQUIRE(writer);
  auto before = read_all(*log, tp).size();
  constexpr int callers = 6;
  constexpr int appends = 40;
  std::vector<std::vector<events::log_position>> got(callers);
  threads.clear();
  for (int c = 0; c < callers; ++c) {
    threads.emplace_back([&, c] {
      auto agg
        = aggregate_in(*log, topic, tp.partition, "caller" + std::to_string(c));
      for (int i = 1; i <= appends; ++i) {
        auto r = (*writer)->append_sync({message_event(
          agg, i, "c" + std::to_string(c) + ":" + std::to_string(i))});
        REQUIRE(r);
        got[c].push_back(r->front());
      }
    });
  }
  for (auto& t : threads)
    t.join();
  auto records = read_all(*log, tp);
  REQUIRE(records.size() == before + callers * appends);
  std::map<std::int64_t, std::string> by_offset;
  for (const auto& r : records)
    by_offset[r.position.offset.value()] = text_of(r);
  for (int c = 0; c < callers; ++c)
    for (int i = 0; i < appends; ++i)
      CHECK(by_offset[got[c][i].offset.value()]
            == "c" + std::to_string(c) + ":" + std::to_string(i + 1));
}

TEMPLATE_TEST_CASE("log: a second writer for a partition fences the first",
                   "[log]", embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("fencing");
  auto log = factory.open({{topic, 1}});
  topic_partition tp{topic, partition_id{0}};
  events::aggregate_id agg{"r"};
  auto first = log->open_writer(tp);
  REQUIRE(first);
  REQUIRE((*first)->append_sync({message_event(agg, 1, "from first")}));
  auto second = log->open_writer(tp);
  REQUIRE(second);
  auto zombie = (*first)->append_sync({message_event(agg, 2, "zombie")});
  REQUIRE_FALSE(zombie);
  CHECK(zombie.err().code == infra::errc::rejected);
  CHECK_THAT(zombie.err().message, Catch::Contains("fenced"));
  // It stays fenced.
  CHECK_FALSE((*first)->append_sync({message_event(agg, 2, "zombie again")}));
  REQUIRE((*second)->append_sync({message_event(agg, 2, "from second")}));
  auto records = read_all(*log, tp);
  REQUIRE(records.size() == 2);
  CHECK(text_of(records[0]) == "from first");
  CHECK(text_of(records[1]) == "from second");
}

TEMPLATE_TEST_CASE("log: once an append fails, appends made at the epoch "
                   "before it are refused",
                   "[log]", embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("epochs");
  auto log = factory.open({{topic, 2}});
  topic_partition tp{topic, partition_id{0}};
  auto here = aggregate_in(*log, topic, tp.partition, "here");
  auto there = aggregate_in(*log, topic, partition_id{1}, "there");
  auto writer = log->open_writer(tp);
  REQUIRE(writer);
  auto& w = **writer;
  auto before = w.epoch();
  REQUIRE(w.append_sync({message_event(here, 1, "first")}));
  CHECK(w.epoch() == before); // a success does not move it
  // A batch that fails (here: it names another partition's aggregate).
  REQUIRE_FALSE(w.append_sync({message_event(there, 1, "misrouted")}));
  CHECK(w.epoch() != before);
  // One decided after the failed one, appended at its epoch: refused.
  std::promise<infra::append_result> behind;
  w.append_at({message_event(here, 2, "decided after the failed one")}, before,
              [&behind](infra::append_result r) {
                behind.set_value(std::move(r));
              });
  auto refused = behind.get_future().get();
  REQUIRE_FALSE(refused);
  CHECK(refused.err().code == infra::errc::rejected);
  CHECK_THAT(refused.err().message, Catch::Contains("earlier append"));
  // At the epoch now it is written.
  REQUIRE(w.append_sync({message_event(here, 2, "second")}));
  auto records = read_all(*log, tp);
  REQUIRE(records.size() == 2);
  CHECK(text_of(records[0]) == "first");
  CHECK(text_of(records[1]) == "second");
}

TEMPLATE_TEST_CASE("log: events that join an append before a commit takes "
                   "it are committed with it, in order, under its callback",
                   "[log]", embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("extend");
  auto log = factory.open({{topic, 1}});
  topic_partition tp{topic, partition_id{0}};
  auto here = aggregate_in(*log, topic, tp.partition, "here");
  auto writer = log->open_writer(tp);
  REQUIRE(writer);
  auto& w = **writer;
  std::uint64_t seq = 0;
  std::vector<std::string> expected;
  auto batch_of = [&](std::size_t n, const std::string& text) {
    std::vector<events::event_envelope> out;
    for (std::size_t i = 0; i < n; ++i) {
      out.push_back(message_event(here, ++seq, text));
      expected.push_back(text);
    }
    return out;
  };
  // An append queued behind a commit in progress (a large one, just
  // handed over) is open: try until one joins, each outcome checked.
  bool joined = false;
  for (int attempt = 0; attempt < 20 && !joined; ++attempt) {
    std::promise<infra::append_result> busy;
    w.append_at(batch_of(300, "busy"), w.epoch(),
                [&busy](infra::append_result r) {
                  busy.set_value(std::move(r));
                });
    std::promise<infra::append_result> open_done;
    auto open = w.append_at(batch_of(1, "open"), w.epoch(),
                            [&open_done](infra::append_result r) {
                              open_done.set_value(std::move(r));
                            });
    auto more = batch_of(2, "joined");
    joined = w.extend(open, more);
    if (!joined) {
      CHECK(more.size() == 2); // nothing was taken: append it on its own
      auto alone = w.append_sync(std::move(more));
      REQUIRE(alone);
    } else {
      CHECK(more.empty());
    }
    REQUIRE(busy.get_future().get());
    auto r = open_done.get_future().get();
    REQUIRE(r);
    CHECK(r->size() == (joined ? 3U : 1U));
    for (std::size_t i = 1; i < r->size(); ++i)
      CHECK((*r)[i].offset.value() > (*r)[i - 1].offset.value());
  }
  CHECK(joined);
  // Once answered, nothing joins it any more.
  std::promise<infra::append_result> done;
  auto answered = w.append_at(batch_of(1, "answered"), w.epoch(),
                              [&done](infra::append_result r) {
                                done.set_value(std::move(r));
                              });
  REQUIRE(done.get_future().get());
  auto late = batch_of(1, "late");
  CHECK_FALSE(w.extend(answered, late));
  CHECK(late.size() == 1);
  expected.pop_back(); // "late" was never written
  auto records = read_all(*log, tp);
  REQUIRE(records.size() == expected.size());
  for (std::size_t i = 0; i < records.size(); ++i)
    CHECK(text_of(records[i]) == expected[i]);
}

TEMPLATE_TEST_CASE("log: undecodable records are typed errors, the reader "
                   "stops, skips or delivers them marked",
                   "[log]", embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("bad");
  auto log = factory.open({{topic, 1}});
  topic_partition tp{topic, partition_id{0}};
  auto writer = log->open_writer(tp);
  REQUIRE(writer);
  events::aggregate_id agg{"r"};
  auto unknown_type = message_event(agg, 2, "x");
  unknown_type.type = "room.exploded";
  auto unknown_version = message_event(agg, 3, "y");
  unknown_version.version = 99;
  auto p = (*writer)->append_sync({message_event(agg, 1, "good"), unknown_type,
                                   unknown_version,
                                   message_event(agg, 4, "good again")});
  REQUIRE(p);

  auto stopped
    = log->read(tp, log_offset{0}, 100, infra::bad_record_policy::stop);
  REQUIRE(stopped);
  REQUIRE(stopped->records.size() == 1);
  REQUIRE(stopped->stopped);
  CHECK(stopped->stopped->code == events::decode_errc::unknown_type);
  CHECK_THAT(
    stopped->stopped->text(),
    Catch::Contains(tp.text() + "@" + std::to_string((*p)[1].offset.value())));
  CHECK(stopped->next == (*p)[1].offset);

  auto skipped
    = log->read(tp, log_offset{0}, 100, infra::bad_record_policy::skip);
  REQUIRE(skipped);
  REQUIRE(skipped->records.size() == 2);
  CHECK(text_of(skipped->records[1]) == "good again");
  REQUIRE(skipped->skipped.size() == 2);
  CHECK(skipped->skipped[0].code == events::decode_errc::unknown_type);
  CHECK(skipped->skipped[1].code == events::decode_errc::unknown_version);
  CHECK_THAT(skipped->skipped[1].message, Catch::Contains("99"));

  // Delivered: in place, marked, with the envelope as stored.
  auto delivered
    = log->read(tp, log_offset{0}, 100, infra::bad_record_policy::deliver);
  REQUIRE(delivered);
  REQUIRE(delivered->records.size() == 4);
  CHECK_FALSE(delivered->records[0].undecodable);
  REQUIRE(delivered->records[1].undecodable);
  CHECK(delivered->records[1].undecodable->code
        == events::decode_errc::unknown_type);
  CHECK(delivered->records[1].decoded.empty());
  CHECK(delivered->records[1].stored.type == "room.exploded");
  CHECK(delivered->records[1].stored.aggregate == agg);
  CHECK(delivered->records[1].position == (*p)[1]);
  REQUIRE(delivered->records[2].undecodable);
  CHECK(delivered->records[2].undecodable->code
        == events::decode_errc::unknown_version);
  CHECK(text_of(delivered->records[3]) == "good again");
}

TEMPLATE_TEST_CASE("log: consumer groups learn assignments and revocations",
                   "[log]", embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("group");
  auto log = factory.open({{topic, 4}});
  auto group = unique_name("moim-test-group");
  std::set<topic_partition> assigned_a;
  std::vector<topic_partition> revoked_a;
  auto a = log->subscribe(group, {topic},
                          {[&](const auto& tps) {
                             assigned_a.insert(tps.begin(), tps.end());
                           },
                           [&](const auto& tps) {
                             revoked_a.insert(revoked_a.end(), tps.begin(),
                                              tps.end());
                             for (const auto& tp : tps)
                               assigned_a.erase(tp);
                           },
                           {}});
  REQUIRE(a);
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (assigned_a.size() < 4 && std::chrono::steady_clock::now() < deadline)
    REQUIRE((*a)->poll(100ms));
  REQUIRE(assigned_a.size() == 4);
  CHECK((*a)->assignment().size() == 4);

  // Records appended now reach the member.
  topic_partition tp2{topic, partition_id{2}};
  auto writer = log->open_writer(tp2);
  REQUIRE(writer);
  auto agg = aggregate_in(*log, topic, tp2.partition, "g");
  REQUIRE((*writer)->append_sync({message_event(agg, 1, "hello group")}));
  std::vector<infra::log_record> received;
  while (received.empty() && std::chrono::steady_clock::now() < deadline) {
    auto got = (*a)->poll(100ms);
    REQUIRE(got);
    for (auto& r : *got)
      received.push_back(std::move(r));
  }
  REQUIRE(received.size() == 1);
  CHECK(text_of(received[0]) == "hello group");

  // A second member joins: partitions are shared out, none twice.
  std::set<topic_partition> assigned_b;
  auto b = log->subscribe(group, {topic},
                          {[&](const auto& tps) {
                             assigned_b.insert(tps.begin(), tps.end());
                           },
                           [&](const auto& tps) {
                             for (const auto& tp : tps)
                               assigned_b.erase(tp);
                           },
                           {}});
  REQUIRE(b);
  while ((assigned_a.size() + assigned_b.size() != 4 || assigned_b.empty()
          || assigned_a.empty())
         && std::chrono::steady_clock::now() < deadline) {
    REQUIRE((*a)->poll(50ms));
    REQUIRE((*b)->poll(50ms));
  }
  CHECK_FALSE(revoked_a.empty());
  CHECK_FALSE(assigned_a.empty());
  CHECK_FALSE(assigned_b.empty());
  CHECK(assigned_a.size() + assigned_b.size() == 4);
  for (const auto& tp : assigned_b)
    CHECK(assigned_a.count(tp) == 0);
}

TEMPLATE_TEST_CASE("log: a member given start offsets reads each partition "
                   "from its own, and again from them after it rejoins",
                   "[log]", embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("start-at");
  auto log = factory.open({{topic, 2}});
  topic_partition tp0{topic, partition_id{0}};
  topic_partition tp1{topic, partition_id{1}};
  for (const auto& tp : {tp0, tp1}) {
    auto writer = log->open_writer(tp);
    REQUIRE(writer);
    auto agg = aggregate_in(*log, topic, tp.partition, "s");
    std::vector<events::event_envelope> batch;
    for (std::uint64_t i = 1; i <= 5; ++i)
      batch.push_back(message_event(agg, i,
                                    std::to_string(tp.partition.value()) + ":"
                                      + std::to_string(i)));
    REQUIRE((*writer)->append_sync(batch));
  }
  // Partition 0 from offset 3, partition 1 from 1: what a projection whose
  // store holds those checkpoints asks for.
  std::map<topic_partition, std::int64_t> start{{tp0, 3}, {tp1, 1}};
  std::vector<topic_partition> asked;
  auto group = unique_name("moim-test-start");
  auto read_from_starts = [&] {
    infra::subscription_options options;
    options.start_at = [&](const topic_partition& tp) {
      asked.push_back(tp);
      return log_offset{start.at(tp)};
    };
    auto member = log->subscribe(group, {topic}, {}, options);
    REQUIRE(member);
    std::set<std::string> texts;
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (texts.size() < 6 && std::chrono::steady_clock::now() < deadline) {
      auto got = (*member)->poll(100ms);
      REQUIRE(got);
      for (auto& r : *got) {
        CHECK(r.position.offset.value()
              >= start.at({r.topic, r.position.partition}));
        texts.insert(text_of(r));
      }
    }
    return texts;
  };
  // Offsets 0..4 hold texts 1..5 (an embedded log's and Kafka's offsets
  // alike start at 0 in a fresh topic).
  std::set<std::string> expected{"0:4", "0:5", "1:2", "1:3", "1:4", "1:5"};
  CHECK(read_from_starts() == expected);
  CHECK(asked.size() == 2);
  // Nothing was committed to the group: a new member asks again.
  asked.clear();
  CHECK(read_from_starts() == expected);
  CHECK(asked.size() == 2);
}

TEMPLATE_TEST_CASE("log: a member's writer commits nothing once the group "
                   "gives its partition to another member",
                   "[log]", embedded_factory, kafka_factory) {
  TestType factory;
  auto topic = factory.topic("owned");
  auto log = factory.open({{topic, 2}});
  auto group = unique_name("moim-test-owners");
  group_owner a{*log, group, topic, 0ms};
  a.poll_until([&] {
    return a.owned.size() == 2;
  });
  std::map<topic_partition, std::unique_ptr<infra::partition_writer>> a_writers;
  for (const auto& tp : a.owned) {
    auto w = a.sub->open_writer(tp);
    REQUIRE(w);
    auto agg = aggregate_in(*log, topic, tp.partition, "o");
    REQUIRE((*w)->append_sync({message_event(agg, 1, "a before")}));
    a_writers[tp] = std::move(*w);
  }

  group_owner b{*log, group, topic, 0ms};
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while ((b.owned.empty() || a.owned.size() + b.owned.size() != 2)
         && std::chrono::steady_clock::now() < deadline) {
    REQUIRE(a.sub->poll(50ms));
    REQUIRE(b.sub->poll(50ms));
  }
  REQUIRE(b.owned.size() == 1);
  auto moved = *b.owned.begin();
  auto agg = aggregate_in(*log, topic, moved.partition, "o");
  // A's writer of the partition that went to B: refused, nothing written.
  auto late
    = a_writers.at(moved)->append_sync({message_event(agg, 2, "a late")});
  REQUIRE_FALSE(late);
  CHECK(late.err().code == infra::errc::rejected);
  // A partition B does not own gets it no writer.
  CHECK_FALSE(b.sub->open_writer(*a.owned.begin()));
  auto b_writer = b.sub->open_writer(moved);
  REQUIRE(b_writer);
  REQUIRE((*b_writer)->append_sync({message_event(agg, 2, "b after")}));
  std::vector<std::string> texts;
  for (const auto& r : read_all(*log, moved))
    texts.push_back(text_of(r));
  CHECK(texts == std::vector<std::string>{"a before", "b after"});
}
