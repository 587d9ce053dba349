#include "infra/http/connection_limit.hpp"

#include "events/vassert.hpp"

namespace moim::infra {

connection_limit::connection_limit(std::size_t per_address)
  : state_(std::make_shared<state>()) {
  MOIM_VASSERT(per_address > 0, "a connection limit of 0 admits nobody");
  state_->per_address = per_address;
}

connection_lease
connection_limit::admit(const boost::asio::ip::address& address) {
  std::lock_guard<std::mutex> guard{state_->mutex};
  auto& count = state_->open[address];
  if (count >= state_->per_address) // at least 1: the entry stays
    return nullptr;
  ++count;
  // The lease's deleter gives the place back.
  return connection_lease{
    static_cast<const void*>(state_.get()), [s = state_, address](const void*) {
      std::lock_guard<std::mutex> g{s->mutex};
      auto it = s->open.find(address);
      MOIM_VASSERT(it != s->open.end() && it->second > 0,
                   "a lease of an address with none open");
      if (--it->second == 0)
        s->open.erase(it);
    }};
}

} // namespace moim::infra
