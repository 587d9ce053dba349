#pragma once

#include "actors/domain/rejection.hpp"
#include "actors/domain/room_aggregate.hpp"
#include "actors/domain/schedule_aggregate.hpp"
#include "actors/domain/user_aggregate.hpp"
#include "actors/domain/views.hpp"
#include "events/expected.hpp"

namespace moim::actors {

// The views; a view of an aggregate that does not exist is `not_found`.
[[nodiscard]] membership membership_of(const room_state& st,
                                       const events::user_id& user,
                                       events::aggregate_seq seq);
[[nodiscard]] events::expected<room_view, rejection>
view_of(const room_state& st, const std::string& id, events::aggregate_seq seq);
[[nodiscard]] events::expected<schedule_view, rejection>
view_of(const schedule_state& st, const std::string& id,
        events::aggregate_seq seq);
[[nodiscard]] events::expected<user_profile, rejection>
view_of(const user_state& st, const std::string& id, events::aggregate_seq seq);
[[nodiscard]] events::expected<stored_credentials, rejection>
credentials_of(const user_state& st, const std::string& id);

} // namespace moim::actors
