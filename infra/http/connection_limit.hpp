#pragma once

#include <boost/asio/ip/address.hpp>

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>

namespace moim::infra {

/// What an admitted connection holds until it ends, whatever it became
/// (HTTP, WebSocket or SSE): releasing it frees its place.
using connection_lease = std::shared_ptr<const void>;

/// At most `per_address` (> 0) open connections from one IP address.
/// Thread-safe; bounded by the open connections (an address without any is
/// forgotten).
class connection_limit {
public:
  explicit connection_limit(std::size_t per_address);

  /// A lease, or nullptr when `address` already holds its share.
  [[nodiscard]] connection_lease admit(const boost::asio::ip::address& address);

private:
  struct state {
    std::size_t per_address;
    std::mutex mutex;
    std::map<boost::asio::ip::address, std::size_t> open;
  };
  std::shared_ptr<state> state_; ///< outlives the server in stray leases
};

} // namespace moim::infra
