#include "tools/moimd/roles.hpp"

#include <sstream>

namespace moim::moimd {

infra::config_keys<node_options> node_keys() {
  return {infra::text<node_options>(
    "roles",
    "what this node runs, comma-separated: gateway (REST, WebSocket, SSE), "
    "write (aggregates), projections (read models)",
    &node_options::roles)};
}

infra::result<roles> parse_roles(const std::string& text) {
  roles out{false, false, false};
  std::istringstream in{text};
  std::string role;
  while (std::getline(in, role, ',')) {
    auto first = role.find_first_not_of(' ');
    auto last = role.find_last_not_of(' ');
    role
      = first == std::string::npos ? "" : role.substr(first, last - first + 1);
    if (role == "gateway")
      out.gateway = true;
    else if (role == "write")
      out.write = true;
    else if (role == "projections")
      out.projections = true;
    else
      return infra::error{infra::errc::invalid,
                          "node.roles: unknown role '" + role
                            + "'; the roles are gateway, write, projections"};
  }
  if (!out.gateway && !out.write && !out.projections)
    return infra::error{infra::errc::invalid,
                        "node.roles is empty; give at least one of gateway, "
                        "write, projections"};
  if (out.gateway && !out.write)
    return infra::error{
      infra::errc::invalid,
      "node.roles: the gateway role needs the write role on the same node "
      "(commands are not yet routed between nodes); add write"};
  return out;
}

} // namespace moim::moimd
