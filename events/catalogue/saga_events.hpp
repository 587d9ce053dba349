#pragma once

#include "events/aggregate_kind.hpp"
#include "events/ids.hpp"
#include "events/json_support.hpp"

#include <cstdint>
#include <string>

namespace moim::events {

// Events of a saga's own progress (topic moim.sagas), so that a restarted
// coordinator resumes every saga in flight.

// A step's deadline is its dispatch's time plus the step's timeout in the
// definition version the saga started on, and a retry's time the failure's
// time plus a backoff whose jitter is drawn from the saga, step and attempt:
// both are recomputed the same on recovery from these events.

/// v2 adds the definition version the saga runs on to the end and the
/// business key it was started with (v1: version 1, no key).
struct saga_started {
  static constexpr const char* type = "saga.started";
  static constexpr int version = 2;
  static constexpr aggregate_kind aggregate = aggregate_kind::saga;
  saga_id saga;
  std::string saga_type; ///< e.g. "create_room"
  int definition_version = 1;
  std::string key; ///< the business key ("" none)
  nlohmann::json input = nlohmann::json::object();
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(saga_started, saga, saga_type,
                                   definition_version, key, input)

struct saga_step_dispatched {
  static constexpr const char* type = "saga.step_dispatched";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::saga;
  saga_id saga;
  std::uint32_t step = 0;
  std::string step_name;
  std::uint32_t attempt = 1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(saga_step_dispatched, saga, step, step_name,
                                   attempt)

struct saga_step_succeeded {
  static constexpr const char* type = "saga.step_succeeded";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::saga;
  saga_id saga;
  std::uint32_t step = 0;
  std::string step_name;
  nlohmann::json output = nlohmann::json::object();
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(saga_step_succeeded, saga, step, step_name,
                                   output)

struct saga_step_failed {
  static constexpr const char* type = "saga.step_failed";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::saga;
  saga_id saga;
  std::uint32_t step = 0;
  std::string step_name;
  std::string reason;
  bool retryable = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(saga_step_failed, saga, step, step_name,
                                   reason, retryable)

struct saga_compensation_started {
  static constexpr const char* type = "saga.compensation_started";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::saga;
  saga_id saga;
  std::uint32_t step = 0;
  std::string step_name;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(saga_compensation_started, saga, step,
                                   step_name)

struct saga_compensation_succeeded {
  static constexpr const char* type = "saga.compensation_succeeded";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::saga;
  saga_id saga;
  std::uint32_t step = 0;
  std::string step_name;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(saga_compensation_succeeded, saga, step,
                                   step_name)

struct saga_compensation_failed {
  static constexpr const char* type = "saga.compensation_failed";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::saga;
  saga_id saga;
  std::uint32_t step = 0;
  std::string step_name;
  std::string reason;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(saga_compensation_failed, saga, step,
                                   step_name, reason)

struct saga_completed {
  static constexpr const char* type = "saga.completed";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::saga;
  saga_id saga;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(saga_completed, saga)

struct saga_aborted {
  static constexpr const char* type = "saga.aborted";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::saga;
  saga_id saga;
  std::string reason;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(saga_aborted, saga, reason)

/// Terminal: every completed step was compensated (the saga had failed or
/// was aborted).
struct saga_compensated {
  static constexpr const char* type = "saga.compensated";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::saga;
  saga_id saga;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(saga_compensated, saga)

/// Terminal: a compensation kept failing; an operator must resolve it.
struct saga_failed {
  static constexpr const char* type = "saga.failed";
  static constexpr int version = 1;
  static constexpr aggregate_kind aggregate = aggregate_kind::saga;
  saga_id saga;
  std::uint32_t step = 0;
  std::string reason;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(saga_failed, saga, step, reason)

} // namespace moim::events
