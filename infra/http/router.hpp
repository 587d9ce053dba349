#pragma once

#include "infra/http/message.hpp"

#include <functional>
#include <string>
#include <vector>

namespace moim::infra {

/// Hands a handler's response back to the connection. Callable from any
/// thread, exactly once.
using reply_fn = std::function<void(http_response)>;

/// Handles one request; may reply at once or later (after blocking work done
/// elsewhere).
using http_handler = std::function<void(const http_request&, reply_fn)>;

/// Maps method and path to a handler. Paths may have {name} segments
/// ("/v1/rooms/{id}/messages"), whose values reach the handler in
/// http_request::params. An unknown path is 404, a known path with another
/// method is 405 naming the allowed ones.
class router {
public:
  void add(const std::string& method, const std::string& pattern,
           http_handler handler);

  /// Takes the request by value: the router fills in its params.
  void dispatch(http_request request, reply_fn reply) const;

private:
  struct route {
    std::string method;
    std::vector<std::string> segments;
    http_handler handler;
  };

  std::vector<route> routes_;
};

} // namespace moim::infra
