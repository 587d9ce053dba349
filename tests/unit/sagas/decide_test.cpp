// The saga core without actors: a saga driven by next_step and outcome
// against scripted replies, on a clock the test moves. Every decision
// comes from the saga's folded events alone, so a restart decides the same.

#include "events/catalogue/catalogue.hpp"
#include "sagas/decide.hpp"

#include <catch2/catch.hpp>

#include <optional>

using namespace moim;
using namespace moim::sagas;
using namespace std::chrono_literals;
using actors::rejection;
using actors::rejection_code;

namespace {

actors::command_envelope to_room(const saga_context& ctx) {
  actors::command_envelope cmd;
  cmd.kind = events::aggregate_kind::room;
  cmd.aggregate = events::aggregate_id{ctx.input.value("room", "r")};
  return cmd;
}

/// create (undo: close) -> record (undo: forget) -> notify (nothing to undo)
saga_definition three_steps() {
  saga_definition d;
  d.type = "test";
  d.version = 1;
  d.deadline = 60s;
  for (const char* name : {"create", "record", "notify"}) {
    step_definition s;
    s.name = name;
    s.action = command_fn{to_room};
    if (std::string{name} != "notify")
      s.compensation = to_room;
    s.timeout = 1s;
    s.retry.max_attempts = 3;
    s.retry.initial = 100ms;
    s.retry.cap = 400ms;
    d.steps.push_back(std::move(s));
  }
  d.compensation_retry.max_attempts = 2;
  return d;
}

actors::command_reply ok() {
  actors::command_result r;
  r.position
    = events::log_position{events::partition_id{3}, events::log_offset{41}};
  return r;
}

actors::command_reply refused(rejection_code code) {
  return rejection{code, "because"};
}

/// What a step's attempt gets: a reply, or none (it times out).
using responder = std::function<std::optional<actors::command_reply>(
  std::uint32_t step, bool compensation, std::uint32_t attempt)>;

struct driven {
  const saga_definition& d;
  saga_state s;
  std::int64_t now = 1'000'000;
  std::vector<std::string> trail; ///< what happened, in order
  std::vector<std::string> keys;  ///< idempotency keys of what was sent

  explicit driven(const saga_definition& def) : d(def) {
    record(events::saga_started{events::saga_id{"saga-7"}, d.type, d.version,
                                "", nlohmann::json{{"room", "r-1"}}});
  }

  void record(const events::any_event& e) {
    apply(s, e, now);
    trail.emplace_back(events::type_of(e));
  }

  /// Drives until the saga ends; `restart_after`: forget what is in
  /// flight after that many decisions (a coordinator that restarted).
  void drive(const responder& respond, int restart_after = -1) {
    bool in_flight = false;
    for (int i = 0; i < 500; ++i) {
      if (i == restart_after)
        in_flight = false;
      auto next = next_step(s, d, now, in_flight);
      if (std::holds_alternative<saga_done>(next))
        return;
      if (auto* r = std::get_if<record_event>(&next)) {
        record(r->event);
        in_flight = false;
      } else if (auto* send = std::get_if<send_step>(&next)) {
        keys.push_back(
          command_of(s, d, send->step, send->compensation).idempotency.value());
        auto reply = respond(send->step, send->compensation, send->attempt);
        if (reply) {
          record(outcome(s, d, send->step, send->compensation, *reply));
          in_flight = false;
        } else {
          in_flight = true;
        }
      } else {
        auto at = std::get<wait_until>(next).at_ms;
        REQUIRE(at > now - 1); // never a wait into the past
        now = std::max(now + 1, at);
      }
    }
    FAIL("the saga did not end");
  }

  [[nodiscard]] std::size_t count(const std::string& type) const {
    return static_cast<std::size_t>(
      std::count(trail.begin(), trail.end(), type));
  }
};

} // namespace

TEST_CASE("sagas: every step once, in order, each with its saga's key") {
  auto d = three_steps();
  driven run{d};
  run.drive([](auto, auto, auto) {
    return ok();
  });
  CHECK(run.s.phase == saga_phase::completed);
  CHECK(run.count("saga.step_dispatched") == 3);
  CHECK(run.count("saga.step_succeeded") == 3);
  CHECK(run.trail.back() == "saga.completed");
  CHECK(run.keys
        == std::vector<std::string>{"saga-7:create", "saga-7:record",
                                    "saga-7:notify"});
  // The default output is where the log took the command.
  CHECK(run.s.steps[0].output["position"] == "moim.rooms:3:41");
}

TEST_CASE("sagas: a refused step compensates the completed ones, last "
          "first, and a step without a compensation is passed over") {
  auto d = three_steps();
  driven run{d};
  std::vector<std::uint32_t> undone;
  run.drive([&](std::uint32_t step, bool undo,
                std::uint32_t) -> std::optional<actors::command_reply> {
    if (undo) {
      undone.push_back(step);
      return ok();
    }
    return step == 2 ? refused(rejection_code::closed) : ok();
  });
  CHECK(run.s.phase == saga_phase::compensated);
  CHECK(undone == std::vector<std::uint32_t>{1, 0});
  CHECK(run.count("saga.step_dispatched") == 3); // not retried: a domain no
  CHECK(run.s.reason.find("notify") != std::string::npos);
  CHECK(run.keys.back() == "saga-7:create:undo");
}

TEST_CASE("sagas: a retryable failure is retried after a jittered backoff, "
          "and when the attempts run out the saga compensates") {
  auto d = three_steps();
  SECTION("the third attempt succeeds") {
    driven run{d};
    std::vector<std::int64_t> sent_at;
    run.drive(
      [&](std::uint32_t step, bool,
          std::uint32_t attempt) -> std::optional<actors::command_reply> {
        if (step != 1)
          return ok();
        sent_at.push_back(run.now);
        return attempt < 3 ? refused(rejection_code::unavailable) : ok();
      });
    CHECK(run.s.phase == saga_phase::completed);
    REQUIRE(sent_at.size() == 3);
    // 100 ms then 200 ms, each at least half of it.
    CHECK(sent_at[1] - sent_at[0] >= 50);
    CHECK(sent_at[1] - sent_at[0] <= 100);
    CHECK(sent_at[2] - sent_at[1] >= 100);
    CHECK(sent_at[2] - sent_at[1] <= 200);
    // Every attempt under the same key: the aggregate applies it once.
    CHECK(std::count(run.keys.begin(), run.keys.end(), "saga-7:record") == 3);
  }
  SECTION("never: three attempts, then compensation of the one before") {
    driven run{d};
    std::vector<std::uint32_t> undone;
    run.drive([&](std::uint32_t step, bool undo,
                  std::uint32_t) -> std::optional<actors::command_reply> {
      if (undo) {
        undone.push_back(step);
        return ok();
      }
      return step == 1 ? refused(rejection_code::unavailable) : ok();
    });
    CHECK(run.s.phase == saga_phase::compensated);
    CHECK(run.s.steps[1].attempts == 3);
    CHECK(undone == std::vector<std::uint32_t>{0}); // it never took effect
  }
}

TEST_CASE("sagas: a step that times out is retried, and one that timed out "
          "for good may have taken effect, so it is compensated too") {
  auto d = three_steps();
  driven run{d};
  std::vector<std::uint32_t> undone;
  run.drive([&](std::uint32_t step, bool undo,
                std::uint32_t) -> std::optional<actors::command_reply> {
    if (undo) {
      undone.push_back(step);
      return ok();
    }
    if (step == 1)
      return std::nullopt; // no answer, ever
    return ok();
  });
  CHECK(run.s.phase == saga_phase::compensated);
  CHECK(run.s.steps[1].attempts == 3);
  CHECK(run.s.steps[1].last_error.find("timed out") == 0);
  CHECK(undone == std::vector<std::uint32_t>{1, 0});
}

TEST_CASE("sagas: a restarted coordinator sends the pending attempt again "
          "under the same key, and the saga goes on") {
  auto d = three_steps();
  driven run{d};
  int create_sends = 0;
  // The first send of `create` is lost with the coordinator; after the
  // restart it is sent again (attempt 1 still) and answered.
  run.drive(
    [&](std::uint32_t step, bool,
        std::uint32_t attempt) -> std::optional<actors::command_reply> {
      if (step == 0 && ++create_sends == 1) {
        CHECK(attempt == 1);
        return std::nullopt;
      }
      return ok();
    },
    3);
  CHECK(run.s.phase == saga_phase::completed);
  CHECK(create_sends == 2);
  CHECK(run.count("saga.step_dispatched") == 3); // the resend is no new attempt
  CHECK(run.keys[0] == run.keys[1]);
}

TEST_CASE("sagas: after the pivot only forward retries, past the attempts "
          "and the deadline, and before it the deadline compensates") {
  auto d = three_steps();
  d.steps[1].compensation = nullptr;
  d.steps[1].pivot = true;
  d.steps[1].already_done = [](const rejection& r) {
    return r.code == rejection_code::already_member;
  };
  d.deadline = 2s;
  REQUIRE_FALSE(invalid(d));
  SECTION("past the pivot") {
    driven run{d};
    int tries = 0;
    run.drive([&](std::uint32_t step, bool undo,
                  std::uint32_t) -> std::optional<actors::command_reply> {
      REQUIRE_FALSE(undo);
      if (step == 1) // the pivot: its effect is there already
        return refused(rejection_code::already_member);
      if (step == 2 && ++tries < 30)
        return refused(rejection_code::unavailable);
      return ok();
    });
    CHECK(run.s.phase == saga_phase::completed);
    CHECK(tries == 30); // well past 3 attempts and the 2 s deadline
    CHECK(run.now - run.s.started_at_ms > 2000);
    CHECK(run.count("saga.compensation_started") == 0);
  }
  SECTION("before the pivot") {
    driven run{d};
    std::vector<std::uint32_t> undone;
    run.drive([&](std::uint32_t step, bool undo,
                  std::uint32_t) -> std::optional<actors::command_reply> {
      if (undo) {
        undone.push_back(step);
        return ok();
      }
      if (step == 0)
        return refused(rejection_code::unavailable); // until the deadline
      return ok();
    });
    // Three attempts of 100-400 ms backoff fit in 2 s: given up first.
    CHECK(run.s.phase == saga_phase::compensated);
    CHECK(undone.empty());
  }
}

TEST_CASE("sagas: the whole saga's deadline stops it before the pivot") {
  auto d = three_steps();
  d.deadline = 1500ms;
  driven run{d};
  std::vector<std::uint32_t> undone;
  run.drive([&](std::uint32_t step, bool undo,
                std::uint32_t) -> std::optional<actors::command_reply> {
    if (undo) {
      undone.push_back(step);
      return ok();
    }
    return step == 1 ? std::nullopt : std::optional{ok()}; // 1 s per try
  });
  CHECK(run.s.phase == saga_phase::compensated);
  CHECK(run.s.reason.find("deadline") != std::string::npos);
  CHECK(run.s.steps[1].attempts == 2); // the deadline came first
  CHECK(undone == std::vector<std::uint32_t>{1, 0});
}

TEST_CASE("sagas: a compensation that keeps failing ends the saga failed, "
          "for an operator, and one with nothing to undo counts as done") {
  auto d = three_steps();
  SECTION("failing") {
    driven run{d};
    run.drive([&](std::uint32_t step, bool undo,
                  std::uint32_t) -> std::optional<actors::command_reply> {
      if (undo)
        return step == 0 ? refused(rejection_code::unavailable) : ok();
      return step == 2 ? refused(rejection_code::invalid) : ok();
    });
    CHECK(run.s.phase == saga_phase::failed);
    CHECK(run.trail.back() == "saga.failed");
    CHECK(run.s.steps[0].compensation_attempts == 2);
    CHECK(run.s.steps[1].status == step_status::compensated);
    CHECK(run.s.reason.find("create") != std::string::npos);
    // Terminal: nothing more is decided.
    CHECK(std::holds_alternative<saga_done>(
      next_step(run.s, d, run.now + 100000, false)));
  }
  SECTION("nothing to undo") {
    d.steps[0].already_undone = [](const rejection& r) {
      return r.code == rejection_code::not_found;
    };
    driven run{d};
    run.drive([&](std::uint32_t step, bool undo,
                  std::uint32_t) -> std::optional<actors::command_reply> {
      if (undo)
        return step == 0 ? refused(rejection_code::not_found) : ok();
      return step == 2 ? refused(rejection_code::invalid) : ok();
    });
    CHECK(run.s.phase == saga_phase::compensated);
  }
}
