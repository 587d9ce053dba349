#include "projections/search/search_projection.hpp"

#include "events/catalogue/catalogue.hpp"
#include "infra/http/client.hpp"
#include "infra/log/topics.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <map>
#include <set>

namespace moim::projections {

namespace {

using nlohmann::json;

/// A document as the batch leaves it: its source and external version
/// (one past the offset of the last event applied to it; 0: none yet).
struct doc {
  json source;
  std::int64_t version = 0;
  bool dirty = false;
};

/// (index alias, id).
using doc_key = std::pair<std::string, std::string>;

std::string message_id(const std::string& room, std::uint64_t seq) {
  return room + ":" + std::to_string(seq);
}

/// The documents each event changes (for the mget), and how it changes
/// them.
class applier {
public:
  applier(const search_layout& l, std::map<doc_key, doc>& docs,
          std::int64_t version, std::int64_t when)
    : l_(l), docs_(docs), version_(version), when_(when) {
    // nop
  }

  void operator()(const events::room_created& e) {
    put({l_.rooms(), e.room.value()}, {{"id", e.room.value()},
                                       {"name", e.name},
                                       {"description", e.description},
                                       {"tags", e.tags},
                                       {"owner", e.owner.value()},
                                       {"member_count", 0},
                                       {"is_public", e.is_public},
                                       {"direct", e.direct},
                                       {"closed", false},
                                       {"created_at", when_}});
  }
  void operator()(const events::room_updated& e) {
    change({l_.rooms(), e.room.value()}, [&](json& d) {
      d["name"] = e.name;
      d["description"] = e.description;
      d["tags"] = e.tags;
      d["is_public"] = e.is_public;
    });
  }
  void operator()(const events::room_member_joined& e) {
    members(e.room.value(), 1);
  }
  void operator()(const events::room_member_left& e) {
    members(e.room.value(), -1);
  }
  void operator()(const events::room_member_kicked& e) {
    members(e.room.value(), -1);
  }
  void operator()(const events::room_member_banned& e) {
    members(e.room.value(), -1);
  }
  void operator()(const events::room_closed& e) {
    change({l_.rooms(), e.room.value()}, [](json& d) {
      d["closed"] = true;
    });
  }
  void operator()(const events::room_message_posted& e) {
    put({l_.messages(), message_id(e.room.value(), e.message.value())},
        {{"room", e.room.value()},
         {"seq", e.message.value()},
         {"author", e.author.value()},
         {"text", e.text},
         {"deleted", false},
         {"edited", false},
         {"posted_at", when_}});
  }
  void operator()(const events::room_message_edited& e) {
    change({l_.messages(), message_id(e.room.value(), e.message.value())},
           [&](json& d) {
             d["text"] = e.text;
             d["edited"] = true;
           });
  }
  void operator()(const events::room_message_deleted& e) {
    // Kept, emptied and marked: a deleted document would lose its version
    // after index.gc_deletes, and a replayed post could bring it back.
    change({l_.messages(), message_id(e.room.value(), e.message.value())},
           [](json& d) {
             d["text"] = "";
             d["deleted"] = true;
           });
  }
  /// Events this read model does not keep.
  template<class Other>
  void operator()(const Other&) {
    // nop
  }

  /// The documents an event changes that it does not make whole.
  static void needs(const events::any_event& event, const search_layout& l,
                    std::set<doc_key>& out) {
    std::
      visit(
        [&](const auto& e) {
          using E = std::decay_t<decltype(e)>;
          if constexpr (
            std::
              is_same_v<
                E, events::
                     room_updated> || std::is_same_v<E, events::room_member_joined> || std::is_same_v<E, events::room_member_left> || std::is_same_v<E, events::room_member_kicked> || std::is_same_v<E, events::room_member_banned> || std::is_same_v<E, events::room_closed>)
            out.insert({l.rooms(), e.room.value()});
          else if constexpr (
            std::is_same_v<
              E,
              events::
                room_message_edited> || std::is_same_v<E, events::room_message_deleted>)
            out.insert(
              {l.messages(), message_id(e.room.value(), e.message.value())});
        },
        event);
  }

private:
  void put(const doc_key& key, json source) {
    auto& d = docs_[key];
    if (d.version >= version_)
      return; // in the store already
    d.source = std::move(source);
    d.version = version_;
    d.dirty = true;
  }
  template<class F>
  void change(const doc_key& key, F&& f) {
    auto found = docs_.find(key);
    if (found == docs_.end() || found->second.source.is_null()) {
      spdlog::warn("search projection: {} {} is not indexed; an event at "
                   "offset {} that changes it is ignored",
                   key.first, key.second, version_ - 1);
      return;
    }
    auto& d = found->second;
    if (d.version >= version_)
      return; // in the store already
    f(d.source);
    d.version = version_;
    d.dirty = true;
  }
  void members(const std::string& room, int delta) {
    change({l_.rooms(), room}, [delta](json& d) {
      d["member_count"] = d.value("member_count", 0) + delta;
    });
  }

  const search_layout& l_;
  std::map<doc_key, doc>& docs_;
  std::int64_t version_;
  std::int64_t when_;
};

infra::error search_error(const infra::error& e) {
  return {e.code, "search: " + e.message};
}

infra::error http_error(const std::string& what, const infra::http_reply& r) {
  return {r.status >= 500 || r.status == 429 ? infra::errc::unreachable
                                             : infra::errc::rejected,
          "search: " + what + " answered HTTP " + std::to_string(r.status)
            + ": " + r.body.substr(0, 500)};
}

/// Sends an NDJSON bulk body; the items' errors other than version
/// conflicts (already applied) fail it. The conflicts are counted.
infra::result<std::size_t> bulk(const search_layout& l, const std::string& body,
                                const char* refresh) {
  auto reply = infra::http_call("POST", l.url + "/_bulk?refresh=" + refresh,
                                body, l.timeout, "application/x-ndjson");
  if (!reply)
    return search_error(reply.err());
  if (reply->status != 200)
    return http_error("bulk", *reply);
  auto answer = json::parse(reply->body, nullptr, false);
  if (answer.is_discarded())
    return infra::error{infra::errc::protocol, "search: bulk answer not JSON"};
  std::size_t conflicts = 0;
  if (!answer.value("errors", false))
    return conflicts;
  for (const auto& item : answer["items"]) {
    const auto& op = item.begin().value();
    auto status = op.value("status", 0);
    if (status == 409) {
      ++conflicts;
      continue;
    }
    if (status >= 300)
      return infra::error{status >= 500 || status == 429
                            ? infra::errc::unreachable
                            : infra::errc::rejected,
                          "search: bulk item " + op.value("_id", "") + ": "
                            + op["error"].dump().substr(0, 500)};
  }
  return conflicts;
}

} // namespace

search_projection::search_projection(search_projection_options options)
  : options_(std::move(options)) {
  // nop
}

const std::string& search_projection::name() const {
  return options_.name;
}

std::vector<std::string> search_projection::topics() const {
  if (!options_.topics.empty())
    return options_.topics;
  return {infra::topic_of(events::aggregate_kind::room)};
}

std::optional<infra::error> search_projection::ensure() {
  if (ensured_)
    return std::nullopt;
  if (auto e = ensure_search_indices(options_.layout))
    return e;
  ensured_ = true;
  return std::nullopt;
}

infra::result<checkpoints> search_projection::load_checkpoints() {
  if (auto e = ensure())
    return *e;
  const auto& l = options_.layout;
  json query
    = {{"size", 10000}, {"query", {{"term", {{"projection", options_.name}}}}}};
  auto reply = infra::http_call("POST", l.url + "/" + l.offsets() + "/_search",
                                query.dump(), l.timeout);
  if (!reply)
    return search_error(reply.err());
  if (reply->status != 200)
    return http_error("reading the checkpoints", *reply);
  auto answer = json::parse(reply->body, nullptr, false);
  if (answer.is_discarded())
    return infra::error{infra::errc::protocol,
                        "search: the checkpoints are not JSON"};
  checkpoints out;
  for (const auto& hit : answer["hits"]["hits"]) {
    const auto& s = hit["_source"];
    out[{s.value("topic", ""), events::partition_id{s.value("partition", 0)}}]
      = events::log_offset{s.value("next_offset", std::int64_t{0})};
  }
  return out;
}

infra::result<applied> search_projection::apply(const batch& b) {
  if (auto e = ensure())
    return *e;
  const auto& l = options_.layout;
  // 1. The documents the batch changes but does not make: one mget.
  std::set<doc_key> wanted;
  std::set<doc_key> made;
  for (const auto& record : b.records)
    for (const auto& d : record.decoded) {
      std::set<doc_key> needs;
      applier::needs(d.event, l, needs);
      for (const auto& k : needs)
        if (made.count(k) == 0)
          wanted.insert(k);
      if (std::holds_alternative<events::room_created>(d.event))
        made.insert(
          {l.rooms(), std::get<events::room_created>(d.event).room.value()});
      else if (const auto* p
               = std::get_if<events::room_message_posted>(&d.event))
        made.insert(
          {l.messages(), message_id(p->room.value(), p->message.value())});
    }
  std::map<doc_key, doc> docs;
  if (!wanted.empty()) {
    json get = {{"docs", json::array()}};
    for (const auto& [index, id] : wanted)
      get["docs"].push_back({{"_index", index}, {"_id", id}});
    auto reply = infra::http_call("POST", l.url + "/_mget?realtime=true",
                                  get.dump(), l.timeout);
    if (!reply)
      return search_error(reply.err());
    if (reply->status != 200)
      return http_error("mget", *reply);
    auto answer = json::parse(reply->body, nullptr, false);
    if (answer.is_discarded())
      return infra::error{infra::errc::protocol, "search: mget not JSON"};
    auto key = wanted.begin();
    for (const auto& found : answer["docs"]) {
      if (key == wanted.end())
        break;
      if (found.value("found", false))
        docs[*key]
          = {found["_source"], found.value("_version", std::int64_t{0}), false};
      ++key;
    }
  }
  // 2. The events, in log order, on those documents.
  for (const auto& record : b.records)
    for (const auto& d : record.decoded) {
      applier apply{l, docs, record.position.offset.value() + 1,
                    static_cast<std::int64_t>(
                      d.envelope.occurred_at.time_since_epoch().count())};
      std::visit(apply, d.event);
    }
  // 3. One bulk of the changed documents, each at its version.
  std::string body;
  for (const auto& [key, d] : docs) {
    if (!d.dirty)
      continue;
    body += json{{"index",
                  {{"_index", key.first},
                   {"_id", key.second},
                   {"version", d.version},
                   {"version_type", "external"}}}}
              .dump();
    body += '\n';
    body += d.source.dump();
    body += '\n';
  }
  if (!body.empty()) {
    // refresh=true: visible when the bulk answers (the positions published
    // next promise it), one refresh a batch rather than waiting for the
    // index's own.
    auto sent = bulk(l, body, "true");
    if (!sent)
      return sent.err();
  }
  // 4. The checkpoints, versioned by where they move to: one that is
  // already further (another runner) is a conflict, and this batch moved on.
  std::string marks;
  for (const auto& [tp, range] : b.ranges) {
    marks += json{{"index",
                   {{"_index", l.offsets()},
                    {"_id", options_.name + ":" + tp.topic + ":"
                              + std::to_string(tp.partition.value())},
                    {"version", range.next.value()},
                    {"version_type", "external"}}}}
               .dump();
    marks += '\n';
    marks += json{{"projection", options_.name},
                  {"topic", tp.topic},
                  {"partition", tp.partition.value()},
                  {"next_offset", range.next.value()}}
               .dump();
    marks += '\n';
  }
  auto moved = bulk(l, marks, "true");
  if (!moved)
    return moved.err();
  return *moved == 0 ? applied::done : applied::moved_on;
}

} // namespace moim::projections
