#pragma once

#include "projections/projection.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace moim::infra {
class redis_client;
}

namespace moim::projections {

struct redis_projection_options {
  std::string url;            ///< redis://host:port
  std::string name = "redis"; ///< its checkpoints' and group's name
  std::string prefix = "moim:";
  std::chrono::milliseconds timeout{5000};
  /// The topics it reads; empty: Moim's users, rooms and schedules.
  std::vector<std::string> topics;
};

/// The Redis read model (redis/keys.hpp): the rooms each user has joined,
/// each room's name and counts, each schedule's seats and waitlist,
/// trending search terms and each user's recent searches. A
/// batch is one MULTI/EXEC, sent in one round trip, that also moves the
/// batch's checkpoints; the checkpoint keys are WATCHed from the moment
/// they are compared, so a batch whose checkpoint another runner moved
/// meanwhile changes nothing (`moved_on`).
class redis_projection : public projection {
public:
  explicit redis_projection(redis_projection_options options);
  ~redis_projection() override;

  redis_projection(const redis_projection&) = delete;
  redis_projection& operator=(const redis_projection&) = delete;

  [[nodiscard]] const std::string& name() const override;
  [[nodiscard]] std::vector<std::string> topics() const override;
  [[nodiscard]] infra::result<checkpoints> load_checkpoints() override;
  [[nodiscard]] infra::result<applied> apply(const batch& b) override;

private:
  redis_projection_options options_;
  std::unique_ptr<infra::redis_client> redis_;
};

} // namespace moim::projections
