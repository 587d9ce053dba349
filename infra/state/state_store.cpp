#include "infra/state/state_store.hpp"

#include <nlohmann/json.hpp>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <filesystem>

namespace moim::infra {

struct state_store::impl {
  std::unique_ptr<rocksdb::DB> db;
  std::string path;
};

namespace {

// Keys: 'k' topic '\0' partition(4) for the checkpoint, 's' topic '\0'
// partition(4) id for snapshots; values: JSON.
std::string prefix(char tag, const topic_partition& tp) {
  std::string key(1, tag);
  key += tp.topic;
  key.push_back('\0');
  auto p = static_cast<std::uint32_t>(tp.partition.value());
  for (int i = 3; i >= 0; --i)
    key.push_back(static_cast<char>((p >> (8 * i)) & 0xff));
  return key;
}

error store_error(const std::string& what, const rocksdb::Status& s) {
  return error{errc::unreachable, "state store: " + what + ": " + s.ToString()};
}

std::string encode(const aggregate_snapshot& s) {
  return nlohmann::json{{"seq", s.seq}, {"data", s.data}}.dump();
}

aggregate_snapshot decode(std::string id, const std::string& value) {
  auto j = nlohmann::json::parse(value);
  return {std::move(id), j.at("seq").get<std::uint64_t>(),
          j.at("data").get<std::string>()};
}

} // namespace

result<std::unique_ptr<state_store>>
state_store::open(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  rocksdb::Options opts;
  opts.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(opts, path, &raw);
  if (!s.ok())
    return error{errc::rejected,
                 "cannot open the state store at " + path + ": " + s.ToString()
                   + " (another moimd on the same state.path?)"};
  auto d = std::make_unique<impl>();
  d->db.reset(raw);
  d->path = path;
  return std::unique_ptr<state_store>{new state_store(std::move(d))};
}

state_store::state_store(std::unique_ptr<impl> d) : impl_(std::move(d)) {
  // nop
}

state_store::~state_store() = default;

result<std::optional<partition_checkpoint>>
state_store::checkpoint(const topic_partition& tp) {
  std::string value;
  auto s = impl_->db->Get(rocksdb::ReadOptions{}, prefix('k', tp), &value);
  if (s.IsNotFound())
    return std::optional<partition_checkpoint>{};
  if (!s.ok())
    return store_error("reading the checkpoint of " + tp.text(), s);
  auto j = nlohmann::json::parse(value, nullptr, false);
  if (j.is_discarded())
    return std::optional<partition_checkpoint>{}; // unreadable: rebuild
  return std::optional<partition_checkpoint>{
    partition_checkpoint{j.value("schema_version", 0), j.value("offset", 0LL)}};
}

result<std::optional<aggregate_snapshot>>
state_store::load(const topic_partition& tp, const std::string& id) {
  std::string value;
  auto s = impl_->db->Get(rocksdb::ReadOptions{}, prefix('s', tp) + id, &value);
  if (s.IsNotFound())
    return std::optional<aggregate_snapshot>{};
  if (!s.ok())
    return store_error("loading " + id, s);
  return std::optional<aggregate_snapshot>{decode(id, value)};
}

std::optional<error>
state_store::write(const topic_partition& tp,
                   const std::vector<aggregate_snapshot>& snapshots,
                   std::optional<partition_checkpoint> cp) {
  rocksdb::WriteBatch wb;
  auto base = prefix('s', tp);
  for (const auto& snap : snapshots)
    wb.Put(base + snap.id, encode(snap));
  if (cp)
    wb.Put(prefix('k', tp),
           nlohmann::json{{"schema_version", cp->schema_version},
                          {"offset", cp->offset}}
             .dump());
  auto s = impl_->db->Write(rocksdb::WriteOptions{}, &wb);
  if (!s.ok())
    return store_error("writing " + tp.text(), s);
  return std::nullopt;
}

result<std::vector<aggregate_snapshot>>
state_store::all(const topic_partition& tp) {
  std::vector<aggregate_snapshot> out;
  auto base = prefix('s', tp);
  std::unique_ptr<rocksdb::Iterator> it{
    impl_->db->NewIterator(rocksdb::ReadOptions{})};
  for (it->Seek(base); it->Valid() && it->key().starts_with(base); it->Next())
    out.push_back(
      decode(it->key().ToString().substr(base.size()), it->value().ToString()));
  if (!it->status().ok())
    return store_error("scanning " + tp.text(), it->status());
  return out;
}

std::optional<error> state_store::drop(const topic_partition& tp) {
  rocksdb::WriteBatch wb;
  auto base = prefix('s', tp);
  std::unique_ptr<rocksdb::Iterator> it{
    impl_->db->NewIterator(rocksdb::ReadOptions{})};
  for (it->Seek(base); it->Valid() && it->key().starts_with(base); it->Next())
    wb.Delete(it->key());
  wb.Delete(prefix('k', tp));
  auto s = impl_->db->Write(rocksdb::WriteOptions{}, &wb);
  if (!s.ok())
    return store_error("dropping " + tp.text(), s);
  return std::nullopt;
}

} // namespace moim::infra
