#pragma once

#include "infra/error.hpp"

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace moim::infra {

// RAII holders and helpers for librdkafka's C API, internal to infra/log/kafka.

struct rd_kafka_deleter {
  void operator()(rd_kafka_t* rk) const {
    rd_kafka_destroy(rk);
  }
};
using kafka_handle = std::unique_ptr<rd_kafka_t, rd_kafka_deleter>;

struct rd_kafka_error_deleter {
  void operator()(rd_kafka_error_t* e) const {
    rd_kafka_error_destroy(e);
  }
};
using kafka_error_ptr
  = std::unique_ptr<rd_kafka_error_t, rd_kafka_error_deleter>;

struct partition_list_deleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const {
    rd_kafka_topic_partition_list_destroy(l);
  }
};
using partition_list
  = std::unique_ptr<rd_kafka_topic_partition_list_t, partition_list_deleter>;

using kafka_settings = std::vector<std::pair<std::string, std::string>>;

/// A new client of `type` with `settings`; `setup` may add callbacks to the
/// configuration before the client is created.
[[nodiscard]] result<kafka_handle>
make_kafka_client(rd_kafka_type_t type, const kafka_settings& settings,
                  void (*setup)(rd_kafka_conf_t*) = nullptr,
                  void* opaque = nullptr);

} // namespace moim::infra
