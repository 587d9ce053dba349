#pragma once

#include <spdlog/formatter.h>

#include <memory>

namespace moim::infra {

/// Formats each record as one JSON object per line:
/// {"ts":"2026-01-01T00:00:00.000Z","level":"info","logger":"moimd","msg":"…"}
/// spdlog has no JSON output of its own and a pattern cannot escape the
/// message, so the record is serialized with nlohmann::json.
class json_formatter final : public spdlog::formatter {
public:
  void format(const spdlog::details::log_msg& msg,
              spdlog::memory_buf_t& dest) override;

  [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override;
};

} // namespace moim::infra
