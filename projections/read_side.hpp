#pragma once

#include "infra/health/readiness.hpp"
#include "projections/position.hpp"
#include "projections/runner.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace moim::infra {
class metrics_registry;
}

namespace moim::projections {

class postgres_read_model;
class redis_presence;
class redis_read_model;
class search_read_model;

/// moimd mounts them as `projections.*`; the stores' urls are
/// `postgres.url`, `redis.url` and `search.url`.
struct read_side_options {
  std::string postgres_url; ///< empty: no relational read model
  std::string redis_url;    ///< empty: no Redis read model
  std::string search_url;   ///< empty: no search read model
  /// Synonym rules for search (search/search_schema.hpp); empty: none.
  std::string synonyms_file;
  std::string redis_prefix = "moim:";
  std::string search_prefix = "moim-";
  /// Whether this node runs the projections (role "projections"); the
  /// queries read the stores either way.
  bool run = true;
  runner_options runner;
  std::chrono::milliseconds store_timeout{5000};
  /// How long a query given a position waits for it, at most.
  std::chrono::milliseconds wait_limit{5000};
};

/// The read side of a node as one component: a runner per configured
/// store (Postgres, OpenSearch, Redis), the read models the gateway
/// queries, room presence (Redis), their metrics and readiness checks, and
/// read-your-writes.
class read_side {
public:
  /// Fails only on configuration (an unreadable synonym file); a store
  /// that is down is waited for by its runner.
  [[nodiscard]] static infra::result<std::unique_ptr<read_side>>
  open(infra::event_log& log, read_side_options options);

  ~read_side();

  read_side(const read_side&) = delete;
  read_side& operator=(const read_side&) = delete;

  void start();
  void stop();

  void add_metrics(infra::metrics_registry& metrics) const;

  /// "projection <name>" per runner: not required; shows its state.
  [[nodiscard]] std::vector<infra::dependency_check> checks() const;

  /// Null when that store is not configured.
  [[nodiscard]] std::shared_ptr<postgres_read_model> postgres() const;
  [[nodiscard]] std::shared_ptr<redis_read_model> redis() const;
  [[nodiscard]] std::shared_ptr<search_read_model> search() const;
  /// Who is online per room, written by the gateway (with Redis).
  [[nodiscard]] std::shared_ptr<redis_presence> presence() const;

  enum class wait_outcome {
    applied, ///< the projection has applied the point
    behind,  ///< not within the limit
    /// No such projection is configured (the query answers without
    /// waiting).
    unknown,
  };

  /// Waits (blocking, at most `wait_limit`) until `projection` ("postgres",
  /// "redis", "search") has applied `point`; at once when it reads nothing
  /// of the point's topic. A partition this node's runner holds is waited
  /// for on the runner; another (held by another node, or no runner here)
  /// by reading the checkpoint in the store every 20 ms, as the store's
  /// checkpoint moves with the data it covers.
  [[nodiscard]] wait_outcome wait_for(const std::string& projection,
                                      const log_point& point) const;

  [[nodiscard]] std::chrono::milliseconds wait_limit() const {
    return options_.wait_limit;
  }

private:
  read_side(infra::event_log& log, read_side_options options);

  /// A projection's checkpoints read apart from its runner (own
  /// connection), for partitions held elsewhere.
  struct checkpoint_reader {
    std::vector<std::string> topics;
    std::mutex mtx;
    std::shared_ptr<projection> store;
  };

  read_side_options options_;
  std::vector<std::unique_ptr<projection_runner>> runners_;
  std::map<std::string, std::unique_ptr<checkpoint_reader>> readers_;
  std::shared_ptr<postgres_read_model> postgres_;
  std::shared_ptr<redis_read_model> redis_;
  std::shared_ptr<search_read_model> search_;
  std::shared_ptr<redis_presence> presence_;
};

} // namespace moim::projections
