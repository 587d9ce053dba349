#include "infra/postgres/postgres_probe.hpp"

#include <pqxx/pqxx>

#include <algorithm>

namespace moim::infra {

std::string with_connect_timeout(const std::string& url,
                                 std::chrono::milliseconds timeout) {
  auto secs = std::max<long long>(1, (timeout.count() + 999) / 1000);
  auto sep = url.find('?') == std::string::npos ? '?' : '&';
  return url + sep + "connect_timeout=" + std::to_string(secs);
}

std::optional<std::string> probe_postgres(const std::string& url,
                                          std::chrono::milliseconds timeout) {
  try {
    pqxx::connection conn{with_connect_timeout(url, timeout)};
    pqxx::nontransaction tx{conn};
    auto row = tx.exec1("SELECT 1");
    if (row[0].as<int>() != 1)
      return std::string{"SELECT 1 did not return 1"};
    return std::nullopt;
  } catch (const std::exception& e) {
    std::string what = e.what();
    while (!what.empty() && (what.back() == '\n' || what.back() == ' '))
      what.pop_back();
    return "postgres: " + what;
  }
}

} // namespace moim::infra
