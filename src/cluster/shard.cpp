#include "seprank/cluster/shard.hpp"

#include <optional>

#include "seprank/support/errors.hpp"

namespace seprank {

namespace {

// Digits only (no sign, no space, no leading '+'), at most 7 of them: 1 000 000 fits.
std::optional<std::uint64_t> small_decimal(const std::string& s) {
  if (s.empty() || s.size() > 7) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

Shard parse_shard(const std::string& text) {
  const std::string expected = "--shard must be i/n with 1 <= i <= n <= " + std::to_string(max_shard_count) +
                               " (for example 2/8), not '" + text + "'";
  const auto slash = text.find('/');
  if (slash == std::string::npos) throw usage_error(expected);
  const auto i = small_decimal(text.substr(0, slash));
  const auto n = small_decimal(text.substr(slash + 1));
  if (!i || !n || *i < 1 || *n < 1 || *i > *n || *n > max_shard_count) throw usage_error(expected);
  return Shard{*i, *n};
}

std::string to_string(const Shard& shard) { return std::to_string(shard.index) + "/" + std::to_string(shard.count); }

}  // namespace seprank
