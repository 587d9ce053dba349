#include "infra/log/embedded/embedded_state.hpp"

namespace moim::infra {

namespace {

void put_be(std::string& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i)
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::string partition_prefix(char tag, const topic_partition& tp) {
  std::string key(1, tag);
  key += tp.topic;
  key.push_back('\0');
  put_be(key, static_cast<std::uint32_t>(tp.partition.value()), 4);
  return key;
}

} // namespace

bool embedded_log::state::has_partition(const topic_partition& tp) const {
  auto found = options.topics.find(tp.topic);
  return found != options.topics.end() && tp.partition.value() >= 0
         && tp.partition.value() < found->second;
}

std::string record_key(const topic_partition& tp, std::int64_t offset) {
  auto key = partition_prefix('r', tp);
  put_be(key, static_cast<std::uint64_t>(offset), 8);
  return key;
}

std::string end_key(const topic_partition& tp) {
  return partition_prefix('e', tp);
}

std::string encode_offset(std::int64_t offset) {
  std::string out;
  put_be(out, static_cast<std::uint64_t>(offset), 8);
  return out;
}

std::int64_t decode_offset(const std::string& bytes) {
  std::uint64_t value = 0;
  for (unsigned char c : bytes)
    value = (value << 8) | c;
  return static_cast<std::int64_t>(value);
}

} // namespace moim::infra
