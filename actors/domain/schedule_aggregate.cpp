#include "actors/domain/schedule_aggregate.hpp"

#include "actors/domain/validation.hpp"

#include <algorithm>

namespace moim::actors {

namespace {

using namespace moim::events;

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

void erase(std::vector<std::string>& v, const std::string& x) {
  v.erase(std::remove(v.begin(), v.end(), x), v.end());
}

struct decider {
  const schedule_state& s;
  schedule_id id;

  std::optional<rejection> check_open() const {
    if (!s.exists)
      return rejection{rejection_code::not_found, "no such schedule"};
    if (s.closed)
      return rejection{rejection_code::closed, "the schedule is closed"};
    return std::nullopt;
  }

  decision operator()(const create_schedule& c) const {
    if (s.exists)
      return reject(rejection_code::already_exists, "the schedule exists");
    if (auto bad = check_text("title", c.title, 1, 200))
      return *bad;
    if (auto bad = check_text("place", c.place, 0, 200))
      return *bad;
    if (auto bad = check_timestamp("starts_at", c.starts_at))
      return *bad;
    if (c.capacity < 1 || c.capacity > 100000)
      return reject(rejection_code::invalid,
                    "capacity must be between 1 and 100000");
    return std::vector<any_event>{schedule_created{
      id, c.room, c.creator, c.title, c.starts_at, c.place, c.capacity}};
  }

  decision operator()(const take_seat& c) const {
    if (auto bad = check_open())
      return *bad;
    if (contains(s.seated, c.member.value()))
      return reject(rejection_code::already_seated, "you already have a seat");
    if (contains(s.waitlist, c.member.value()))
      return reject(rejection_code::already_seated,
                    "you are already on the waitlist");
    if (s.seated.size() < s.capacity)
      return std::vector<any_event>{schedule_seat_taken{id, c.member}};
    return std::vector<any_event>{schedule_waitlisted{
      id, c.member, static_cast<std::uint32_t>(s.waitlist.size() + 1)}};
  }

  decision operator()(const release_seat& c) const {
    if (auto bad = check_open())
      return *bad;
    if (contains(s.seated, c.member.value())) {
      std::vector<any_event> out{schedule_seat_released{id, c.member}};
      if (!s.waitlist.empty())
        out.emplace_back(schedule_promoted{id, user_id{s.waitlist.front()}});
      return out;
    }
    if (contains(s.waitlist, c.member.value()))
      return std::vector<any_event>{schedule_seat_released{id, c.member}};
    return reject(rejection_code::not_seated,
                  "you have no seat and are not on the waitlist");
  }

  decision operator()(const close_schedule& c) const {
    if (auto bad = check_open())
      return *bad;
    if (c.by.value() != s.creator)
      return reject(rejection_code::not_owner,
                    "only the creator may close the schedule");
    return std::vector<any_event>{schedule_closed{id, c.by}};
  }
};

struct applier {
  schedule_state& s;

  void operator()(const schedule_created& e) {
    s.exists = true;
    s.room = e.room.value();
    s.creator = e.creator.value();
    s.title = e.title;
    s.starts_at = e.starts_at;
    s.place = e.place;
    s.capacity = e.capacity;
  }
  void operator()(const schedule_seat_taken& e) {
    s.seated.push_back(e.member.value());
  }
  void operator()(const schedule_waitlisted& e) {
    s.waitlist.push_back(e.member.value());
  }
  void operator()(const schedule_seat_released& e) {
    erase(s.seated, e.member.value());
    erase(s.waitlist, e.member.value());
  }
  void operator()(const schedule_promoted& e) {
    erase(s.waitlist, e.member.value());
    s.seated.push_back(e.member.value());
  }
  void operator()(const schedule_closed&) {
    s.closed = true;
  }
  template<class Other>
  void operator()(const Other&) {
    // not a schedule event
  }
};

} // namespace

decision schedule_aggregate::decide(const schedule_state& state,
                                    const std::string& id,
                                    const schedule_command& command) {
  return std::visit(decider{state, schedule_id{id}}, command);
}

void schedule_aggregate::apply(schedule_state& state,
                               const events::any_event& event) {
  std::visit(applier{state}, event);
}

} // namespace moim::actors
