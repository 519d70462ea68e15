// One shard of a run (docs/cluster.md): `--shard i/n` takes the work units (instances of
// `verify`, architectures of `sweep`) whose 0-based global index k has k mod n == i - 1,
// round robin, so that every shard gets a mix of small and large units.
#pragma once

#include <cstdint>
#include <string>

namespace seprank {

struct Shard {
  std::uint64_t index = 1;  // i, 1-based
  std::uint64_t count = 1;  // n

  // Whether the unit with 0-based global index k belongs to this shard.
  bool holds(std::uint64_t k) const { return k % count == index - 1; }
  // The shard (1-based) that unit k belongs to among `count` shards.
  static std::uint64_t of(std::uint64_t k, std::uint64_t count) { return k % count + 1; }
};

// Largest n accepted: far above any cluster, far below overflow of i/n arithmetic.
inline constexpr std::uint64_t max_shard_count = 1'000'000;

// "i/n" with decimal integers 1 <= i <= n <= max_shard_count; anything else is a usage error
// (exit 64) naming --shard.
Shard parse_shard(const std::string& text);

// "i/n".
std::string to_string(const Shard& shard);

}  // namespace seprank
