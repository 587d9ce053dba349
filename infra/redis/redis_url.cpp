#include "infra/redis/redis_url.hpp"

#include <charconv>

namespace moim::infra {

result<redis_endpoint> parse_redis_url(const std::string& url) {
  const std::string scheme = "redis://";
  auto bad = [&url](const std::string& why) {
    return error{errc::invalid, "redis url '" + url + "': " + why
                                  + " (expected redis://host:port)"};
  };
  if (url.rfind(scheme, 0) != 0)
    return bad("does not start with redis://");
  auto authority = url.substr(scheme.size());
  if (auto slash = authority.find('/'); slash != std::string::npos)
    authority.resize(slash);
  redis_endpoint ep;
  auto colon = authority.rfind(':');
  ep.host = authority.substr(0, colon);
  if (colon != std::string::npos) {
    auto port_text = authority.substr(colon + 1);
    auto [end, ec] = std::from_chars(
      port_text.data(), port_text.data() + port_text.size(), ep.port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size()
        || ep.port <= 0 || ep.port > 65535)
      return bad("bad port '" + port_text + "'");
  }
  if (ep.host.empty())
    return bad("no host");
  return ep;
}

} // namespace moim::infra
