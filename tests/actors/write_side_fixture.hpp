#pragma once

#include "actors/write_side.hpp"
#include "infra/log/event_log.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace moim::test {

/// A node's write side on a real log: the embedded one in a temporary
/// folder, or Kafka from the stack (fresh topics through a unique prefix).
struct write_side_fixture {
  enum class log_kind { embedded, kafka };

  explicit write_side_fixture(log_kind kind, int partitions = 4,
                              actors::write_side_options options = {});
  ~write_side_fixture();

  /// Assigns every partition of the user, room, schedule and saga topics.
  void assign_all();

  /// Sends one command and waits for its reply.
  actors::command_reply send(actors::command_envelope cmd);

  /// Sends all commands at once, in order, from one actor (so they arrive in
  /// this order), and waits for every reply; replies in command order.
  /// `on_reply`, if given, runs on the sending actor after each reply with
  /// the number of replies so far (to act at a known point in the stream).
  std::vector<actors::command_reply>
  send_all(std::vector<actors::command_envelope> cmds,
           std::size_t max_in_flight = 20000,
           std::function<void(std::size_t)> on_reply = {});

  /// {"seq":..,"state":..} of an aggregate.
  nlohmann::json state_of(events::aggregate_kind kind, const std::string& id);

  std::string dir;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::unique_ptr<infra::event_log> log;
  std::shared_ptr<infra::state_store> store;
  std::unique_ptr<actors::write_side> ws;
  int partitions;
};

actors::command_envelope room_cmd(const std::string& room,
                                  actors::room_command c, std::string key = {});
actors::command_envelope schedule_cmd(const std::string& schedule,
                                      actors::schedule_command c,
                                      std::string key = {});
actors::command_envelope user_cmd(const std::string& user,
                                  actors::user_command c, std::string key = {});

} // namespace moim::test
