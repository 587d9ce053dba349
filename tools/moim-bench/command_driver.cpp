#include "tools/moim-bench/command_driver.hpp"

#include <caf/all.hpp>

#include <future>

namespace moim::bench {

namespace {

using clock_type = std::chrono::steady_clock;

struct driver_state {
  std::size_t next = 0;
  std::size_t outstanding = 0;
  drive_result result;
};

} // namespace

drive_result drive(caf::actor_system& sys, const actors::write_side& ws,
                   std::size_t count, std::size_t in_flight,
                   std::function<actors::command_envelope(std::size_t)> make) {
  auto done = std::make_shared<std::promise<drive_result>>();
  auto future = done->get_future();
  auto started = clock_type::now();
  sys.spawn([&ws, count, in_flight, make, done,
             started](caf::event_based_actor* self) {
    auto st = std::make_shared<driver_state>();
    auto pump = std::make_shared<std::function<void()>>();
    *pump = [=, &ws] {
      while (st->next < count && st->outstanding < in_flight) {
        auto cmd = make(st->next++);
        auto host = ws.route(cmd.kind, cmd.aggregate.value());
        if (!host) {
          ++st->result.rejected;
          continue;
        }
        ++st->outstanding;
        auto t0 = clock_type::now();
        self->request(*host, caf::infinite, actors::command_atom::value, cmd)
          .then(
            [=](actors::command_reply& r) {
              st->result.latency.add(clock_type::now() - t0);
              ++(r ? st->result.accepted : st->result.rejected);
              --st->outstanding;
              (*pump)();
            },
            [=](caf::error&) {
              ++st->result.rejected;
              --st->outstanding;
              (*pump)();
            });
      }
      if (st->next == count && st->outstanding == 0) {
        st->result.seconds
          = std::chrono::duration<double>(clock_type::now() - started).count();
        done->set_value(std::move(st->result));
        *pump = nullptr;
        self->quit();
      }
    };
    (*pump)();
  });
  return future.get();
}

} // namespace moim::bench
