// The one random generator seprank uses, with library-independent mappings, so that the same
// seed gives the same weights on every platform (docs/model.md "Random weights").
#pragma once

#include <cstdint>

namespace seprank {

// SplitMix64 (Steele, Lea & Flood 2014; the reference constants of Vigna's splitmix64.c).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

// Uniform in [0, bound), bound >= 1, by rejection: draws x until x < 2^64 - (2^64 mod bound),
// then returns x mod bound. Exactly uniform, no floating point.
inline std::uint64_t uniform_below(SplitMix64& rng, std::uint64_t bound) {
  const std::uint64_t excess = (0 - bound) % bound;  // 2^64 mod bound
  for (;;) {
    const std::uint64_t x = rng.next();
    if (x <= ~std::uint64_t{0} - excess) return x % bound;
  }
}

// Uniform integer in [-bound, bound], bound >= 0.
inline std::int64_t uniform_symmetric(SplitMix64& rng, std::int64_t bound) {
  const auto span = static_cast<std::uint64_t>(bound) * 2 + 1;
  return static_cast<std::int64_t>(uniform_below(rng, span)) - bound;
}

}  // namespace seprank
