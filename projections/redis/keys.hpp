#pragma once

#include <cstdint>
#include <string>

namespace moim::projections::redis_keys {

// The Redis read model's keys, in one place for the projection that writes
// them and the read model that reads them. Every key starts with a prefix
// ("moim:" by default), so that several read models can share a server.
//
//   <p>user:<id>:rooms            ZSET room -> joined at (ms)
//   <p>room:<id>                  HASH name, public, direct, members,
//                                 messages, last_seq
//   <p>schedule:<id>              HASH room, title, capacity
//   <p>schedule:<id>:seated       SET members with a seat
//   <p>schedule:<id>:waiting      ZSET members waiting -> log offset (order)
//   <p>user:<id>:searches         LIST the user's last 20 searches, newest
//                                 first, each once
//   <p>trending:<bucket>          ZSET term -> searches in that 10-minute
//                                 bucket (its top 1,000), expiring once
//                                 out of the hour-long window
//   <p>presence:<room>            ZSET "<user>@<node>" -> expires at (ms);
//                                 written by the gateway (presence.hpp)
//   <p>projection:<name>:<topic>:<partition>   the next offset to apply

inline std::string user_rooms(const std::string& p, const std::string& user) {
  return p + "user:" + user + ":rooms";
}
inline std::string room(const std::string& p, const std::string& room) {
  return p + "room:" + room;
}
inline std::string schedule(const std::string& p, const std::string& id) {
  return p + "schedule:" + id;
}
inline std::string seated(const std::string& p, const std::string& id) {
  return p + "schedule:" + id + ":seated";
}
inline std::string waiting(const std::string& p, const std::string& id) {
  return p + "schedule:" + id + ":waiting";
}
inline std::string recent_searches(const std::string& p,
                                   const std::string& user) {
  return p + "user:" + user + ":searches";
}
inline std::string trending(const std::string& p, std::int64_t bucket) {
  return p + "trending:" + std::to_string(bucket);
}

inline std::string presence(const std::string& p, const std::string& room) {
  return p + "presence:" + room;
}

/// Trending terms: 10-minute buckets, an hour's window.
constexpr std::int64_t trending_bucket_ms = 600000;
constexpr std::int64_t trending_buckets = 6;
constexpr int trending_kept = 1000;
constexpr int recent_kept = 20;

inline std::string checkpoint(const std::string& p, const std::string& name,
                              const std::string& topic, int partition) {
  return p + "projection:" + name + ":" + topic + ":"
         + std::to_string(partition);
}

} // namespace moim::projections::redis_keys
