// The incremental, multi-threaded assembly must equal a naive forward pass per entry
// (reference_evaluator.hpp) on every entry, across shapes, sharing, padding and pooling.
#include <doctest/doctest.h>

#include "reference_evaluator.hpp"
#include "seprank/assemble.hpp"
#include "test_support.hpp"

using namespace seprank;

namespace {

void check_against_reference(RankRequest r, int threads) {
  r.threads = threads;
  const PreparedNetwork net = prepare_network(r);
  const NmodMatrix m = assemble_mod_p(net, r.prime, threads);
  const auto expected = reference::matricize(net.arch, net.weights, r.prime, net.partition.vary_I,
                                             net.partition.vary_J, net.partition.fixed_templates);
  REQUIRE(static_cast<std::size_t>(m.rows()) == expected.size());
  std::size_t mismatches = 0;
  for (std::int64_t i = 0; i < m.rows(); ++i)
    for (std::int64_t j = 0; j < m.cols(); ++j)
      if (m.at(i, j) != expected[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)]) ++mismatches;
  CHECK(mismatches == 0);
}

}  // namespace

TEST_CASE("a submatrix (--vary) equals the naive forward pass with the other positions fixed") {
  struct Case {
    const char* input;
    const char* layers;
    const char* partition;
    const char* vary;
    const char* fixed;
  };
  const Case cases[] = {
      {"8", "3/1/2,6/1/2", "left-right", "indices:2,3,4,5", "1"},
      {"8", "2/1/2,7/1/2", "left-right", "auto", "0"},  // auto: positions 3 and 4
      {"4x4", "2/1/2,3/1/2", "left-right", "auto", "0110100110010110"},  // auto: columns 1 and 2
      {"4x4", "2/2/2,2/2/2", "odd-even", "mask:1100110000000000", "1"},
      {"5x5", "3/1/2,3/1/2", "left-right", "mask:0110001100011000110001100", "0"},
  };
  for (const Case& c : cases)
    for (int threads : {1, 2}) {
      const std::string input = c.input, layers = c.layers, vary = c.vary;
      CAPTURE(input);
      CAPTURE(layers);
      CAPTURE(vary);
      RankRequest r = test_support::request(c.input, c.layers, 2, c.partition);
      r.vary = c.vary;
      r.fixed_templates = c.fixed;
      r.prime = 1000003;
      const PreparedNetwork net = prepare_network(r);
      CHECK(net.partition.is_submatrix());
      check_against_reference(r, threads);
    }
}

TEST_CASE("assembly equals a naive forward pass per entry") {
  struct Case {
    const char* input;
    const char* layers;
    int m;
    const char* partition;
    Sharing sharing;
    Padding padding;
  };
  const Case cases[] = {
      {"6", "3/1/2,4/1/3", 2, "left-right", Sharing::conv, Padding::valid},
      {"6", "3/1/2,4/1/3", 3, "odd-even", Sharing::local, Padding::valid},
      {"8", "2/2/2,2/2/2,2/2/1", 2, "odd-even", Sharing::one_by_one, Padding::valid},
      {"7", "3/2/2,3/1/2", 2, "mask:0110100", Sharing::conv, Padding::valid},
      {"7", "3/2/2,pool2/2,2/2/2", 2, "left-right", Sharing::conv, Padding::same},
      {"3x3", "2/1/2,2/1/2", 2, "odd-even", Sharing::conv, Padding::valid},
      {"3x3", "2/1/3,pool2/1", 2, "top-bottom", Sharing::local, Padding::valid},
      {"3x5", "3/2/2,2/2/2,2/2/1", 2, "mask:101010101010101", Sharing::local, Padding::same},
      {"4x4", "3/1/2,2/2/2,pool2/2", 2, "left-right", Sharing::conv, Padding::same},
      {"4x4", "pool2/2,2/2/3", 2, "odd-even", Sharing::one_by_one, Padding::valid},
      {"3x3", "2/1/2,2/1/1", 3, "indices:0,4,8", Sharing::conv, Padding::valid},
  };
  for (const Case& c : cases)
    for (int threads : {1, 2}) {
      const std::string input = c.input, layers = c.layers;
      CAPTURE(input);
      CAPTURE(layers);
      CAPTURE(threads);
      RankRequest r = test_support::request(c.input, c.layers, c.m, c.partition, c.sharing);
      r.arch.padding = c.padding;
      r.prime = 1000003;
      check_against_reference(r, threads);
      r.representation = Representation::identity;
      r.seed = 7;
      r.prime = 4611686018427387847ULL;
      check_against_reference(r, threads);
    }
}
