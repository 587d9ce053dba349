#include "infra/log/kafka/kafka_record.hpp"

namespace moim::infra {

rd_kafka_headers_t* to_kafka_headers(const events::event_envelope& event) {
  auto list = events::to_headers(event);
  auto* headers = rd_kafka_headers_new(list.size());
  for (const auto& [name, value] : list)
    rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()),
                        value.data(), static_cast<ssize_t>(value.size()));
  return headers;
}

log_record read_message(const rd_kafka_message_t& msg) {
  log_record record;
  record.topic = rd_kafka_topic_name(msg.rkt);
  record.position
    = {events::partition_id{msg.partition}, events::log_offset{msg.offset}};
  events::header_list list;
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(&msg, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size)
                       == RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i)
      list.emplace_back(name,
                        value == nullptr
                          ? std::string{}
                          : std::string(static_cast<const char*>(value), size));
  }
  std::string key
    = msg.key == nullptr
        ? std::string{}
        : std::string(static_cast<const char*>(msg.key), msg.key_len);
  std::string payload
    = msg.payload == nullptr
        ? std::string{}
        : std::string(static_cast<const char*>(msg.payload), msg.len);
  auto stored = events::from_headers(list, key, payload);
  if (!stored) {
    auto err = stored.err();
    err.where = record.topic + "/" + std::to_string(msg.partition) + "@"
                + std::to_string(msg.offset);
    record.stored.aggregate = events::aggregate_id{key};
    record.stored.payload = payload;
    record.undecodable = std::move(err);
    return record;
  }
  record.stored = std::move(*stored);
  if (auto problem = decode_record(record)) {
    record.decoded.clear();
    record.undecodable = std::move(*problem);
  }
  return record;
}

events::expected<log_record, events::decode_error>
from_kafka_message(const rd_kafka_message_t& msg) {
  auto record = read_message(msg);
  if (record.undecodable)
    return *record.undecodable;
  return record;
}

} // namespace moim::infra

namespace moim::infra {

rd_kafka_error_t* produce_message(rd_kafka_t* rk, const std::string& topic,
                                  std::int32_t partition,
                                  const std::string& key,
                                  const std::string& value,
                                  rd_kafka_headers_t* headers, void* opaque) {
  rd_kafka_vu_t vus[7] = {};
  vus[0].vtype = RD_KAFKA_VTYPE_TOPIC;
  vus[0].u.cstr = topic.c_str();
  vus[1].vtype = RD_KAFKA_VTYPE_PARTITION;
  vus[1].u.i32 = partition;
  vus[2].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
  vus[2].u.i32 = RD_KAFKA_MSG_F_COPY;
  vus[3].vtype = RD_KAFKA_VTYPE_KEY;
  vus[3].u.mem.ptr = const_cast<char*>(key.data());
  vus[3].u.mem.size = key.size();
  vus[4].vtype = RD_KAFKA_VTYPE_VALUE;
  vus[4].u.mem.ptr = const_cast<char*>(value.data());
  vus[4].u.mem.size = value.size();
  vus[5].vtype = RD_KAFKA_VTYPE_HEADERS;
  vus[5].u.headers = headers;
  vus[6].vtype = RD_KAFKA_VTYPE_OPAQUE;
  vus[6].u.ptr = opaque;
  return rd_kafka_produceva(rk, vus, 7);
}

} // namespace moim::infra
