#include <doctest/doctest.h>

#include "seprank/model/random.hpp"

using namespace seprank;

TEST_CASE("SplitMix64 matches the reference outputs for seed 1234567") {
  // Published test vector of Vigna's splitmix64.c.
  SplitMix64 rng(1234567);
  CHECK(rng.next() == 6457827717110365317ULL);
  CHECK(rng.next() == 3203168211198807973ULL);
  CHECK(rng.next() == 9817491932198370423ULL);
  CHECK(rng.next() == 4593380528125082431ULL);
  CHECK(rng.next() == 16408922859458223821ULL);
}

TEST_CASE("uniform_below maps by rejection and stays in range") {
  // bound = 2^63 + 1: 2^64 mod bound = 2^63 - 1, so outputs >= 2^63 + 1 ... are rejected.
  SplitMix64 a(42), b(42);
  const std::uint64_t bound = (1ULL << 63) + 1;
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t v = uniform_below(a, bound);
    CHECK(v < bound);
    std::uint64_t x;
    do x = b.next();
    while (x > ~0ULL - ((0 - bound) % bound));
    CHECK(v == x % bound);
  }
  SplitMix64 c(5);
  for (int i = 0; i < 1000; ++i) {
    const std::int64_t s = uniform_symmetric(c, 3);
    CHECK(s >= -3);
    CHECK(s <= 3);
  }
}

TEST_CASE("rejection sampling accepts its largest acceptable draw") {
  // SplitMix64's output function is invertible: seed 3453682501520545093 gives 2^63 first
  // (checked in Python from Vigna's constants). With bound 2^63 + 1, 2^64 mod bound = 2^63 - 1,
  // so the largest accepted draw is 2^64 - 1 - (2^63 - 1) = 2^63 itself, and 2^63 mod bound = 2^63.
  seprank::SplitMix64 rng(3453682501520545093ULL);
  CHECK(seprank::uniform_below(rng, (std::uint64_t{1} << 63) + 1) == (std::uint64_t{1} << 63));
}
