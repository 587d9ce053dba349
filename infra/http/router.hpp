#pragma once

#include "infra/http/message.hpp"

#include <functional>
#include <map>
#include <string>

namespace moim::infra {

/// Hands a handler's response back to the connection. Callable from any
/// thread, exactly once.
using reply_fn = std::function<void(http_response)>;

/// Handles one request; may reply at once or later (after blocking work done
/// elsewhere).
using http_handler = std::function<void(const http_request&, reply_fn)>;

/// Maps method and path to a handler: an unknown path is 404, a known path
/// with another method is 405 naming the allowed ones.
class router {
public:
  void add(const std::string& method, const std::string& path,
           http_handler handler);

  void dispatch(const http_request& request, reply_fn reply) const;

private:
  // path -> method -> handler
  std::map<std::string, std::map<std::string, http_handler>> routes_;
};

} // namespace moim::infra
