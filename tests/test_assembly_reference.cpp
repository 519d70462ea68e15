// The incremental, multi-threaded assembly must equal a naive forward pass per entry
// (reference_evaluator.hpp) on every entry, across shapes, sharing, padding and pooling.
// The reference is told which positions are I and J, which vary and what the others hold by
// model_conventions.hpp (docs/model.md's definitions, computed without src/), never by
// prepare_network: a wrong split or a swapped I/J in src/ fails the entry comparison.
#include <doctest/doctest.h>

#include "model_conventions.hpp"
#include "reference_evaluator.hpp"
#include "seprank/assembly/assemble.hpp"
#include "test_support.hpp"

using namespace seprank;

namespace {

void check_against_reference(RankRequest r, const std::string& input, const std::string& layers, int threads) {
  r.execution.threads = threads;
  const PreparedNetwork net = prepare_network(r);
  const auto sub = model::submatrix(input, layers, r.arch.padding == Padding::same, r.partition, r.vary,
                                    r.fixed_templates);
  REQUIRE_MESSAGE(sub.has_value(), "docs/model.md refuses this request, prepare_network accepted it");
  // The reference reads the shape from the architecture: it must be the documented H rows x W columns.
  const model::Grid g = model::grid(input);
  REQUIRE(net.arch.height == g.height);
  REQUIRE(net.arch.width == g.width);
  const NmodMatrix m = assemble_mod_p(net, r.prime, threads);
  const auto expected = reference::matricize(net.arch, net.weights, r.prime, sub->vary_i, sub->vary_j, sub->fixed);
  REQUIRE(static_cast<std::size_t>(m.rows()) == expected.size());
  REQUIRE(static_cast<std::size_t>(m.cols()) == expected.front().size());
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
    int m = 2;
    Padding padding = Padding::valid;
  };
  const Case cases[] = {
      {"8", "3/1/2,6/1/2", "left-right", "indices:2,3,4,5", "1"},
      {"8", "2/1/2,7/1/2", "left-right", "auto", "0"},  // auto: positions 3 and 4
      {"4x4", "2/1/2,3/1/2", "left-right", "auto", "0110100110010110"},  // auto: columns 1 and 2
      {"4x4", "2/2/2,2/2/2", "odd-even", "mask:1100110000000000", "1"},
      {"5x5", "3/1/2,3/1/2", "left-right", "mask:0110001100011000110001100", "0"},
      // Odd widths and heights, every partition kind, auto over valid and same padding, pool
      // first layers, fixed templates as one or one digit per position.
      {"3x5", "3/1/2,5/5/1", "left-right", "auto", "0", 2, Padding::same},  // columns 0..3
      {"5x3", "2/1/2,5/5/1", "top-bottom", "auto", "010101010101010", 2, Padding::same},  // rows 1, 2
      {"5x3", "2/1/2,5/5/1", "left-right", "auto", "1", 2, Padding::same},  // columns 0, 1
      {"7", "2/1/2,6/1/1", "top-bottom", "auto", "1"},  // positions 2, 3
      {"9", "4/2/2,5/5/1", "left-right", "auto", "012012012", 3, Padding::same},  // positions 1..6
      {"7x7", "3/2/2,3/1/1", "left-right", "indices:17,2,3,9,10,16", "1"},
      {"5x5", "3/2/2,2/1/1", "left-right", "auto", "1"},  // columns 0..2
      {"3x5", "2/1/2,5/5/1", "odd-even", "mask:110000000011000", "012012012012012", 3, Padding::same},
      {"2x7", "3/1/2,7/7/1", "left-right", "auto", "0", 2, Padding::same},  // columns 1..4
      {"6", "pool2/2,3/1/1", "left-right", "auto", "1"},  // positions 2, 3
      {"8", "3/1/2,6/1/2", "odd-even", "mask:01111110", "10011001"},
  };
  for (const Case& c : cases)
    for (int threads : {1, 2}) {
      const std::string input = c.input, layers = c.layers, vary = c.vary;
      CAPTURE(input);
      CAPTURE(layers);
      CAPTURE(vary);
      RankRequest r = test_support::request(c.input, c.layers, c.m, c.partition);
      r.arch.padding = c.padding;
      r.vary = c.vary;
      r.fixed_templates = c.fixed;
      r.prime = 1000003;
      const PreparedNetwork net = prepare_network(r);
      CHECK(net.partition.is_submatrix());
      check_against_reference(r, c.input, c.layers, threads);
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
      // (n - R) not a multiple of S: valid padding drops the last, partial window
      // (floor((8 - 3)/2) + 1 = 3 units; floor((4 - 3)/2) + 1 = 1 per axis).
      {"8", "3/2/2,3/1/1", 2, "left-right", Sharing::conv, Padding::valid},
      {"4x4", "3/2/2", 2, "odd-even", Sharing::local, Padding::valid},
      {"7", "3/2/2,pool2/2,2/2/2", 2, "left-right", Sharing::conv, Padding::same},
      {"3x3", "2/1/2,2/1/2", 2, "odd-even", Sharing::conv, Padding::valid},
      {"3x3", "2/1/3,pool2/1", 2, "top-bottom", Sharing::local, Padding::valid},
      {"3x5", "3/2/2,2/2/2,2/2/1", 2, "mask:101010101010101", Sharing::local, Padding::same},
      {"4x4", "3/1/2,2/2/2,pool2/2", 2, "left-right", Sharing::conv, Padding::same},
      {"4x4", "pool2/2,2/2/3", 2, "odd-even", Sharing::one_by_one, Padding::valid},
      {"3x3", "2/1/2,2/1/1", 3, "indices:0,4,8", Sharing::conv, Padding::valid},
      // Odd widths and heights (floor(W/2), floor(H/2) differ from the ceiling), 1D and 2D,
      // every partition kind, |I| != |J| so that a swapped I and J changes the shape.
      {"3x5", "3/2/2,2/2/2,2/2/1", 2, "left-right", Sharing::local, Padding::same},
      {"5x3", "2/1/2,5/5/1", 2, "top-bottom", Sharing::conv, Padding::same},
      {"5x3", "3/3/2", 2, "left-right", Sharing::conv, Padding::valid},
      {"5", "3/1/2,3/1/2", 2, "left-right", Sharing::conv, Padding::valid},
      {"9", "3/2/2,4/1/1", 2, "top-bottom", Sharing::conv, Padding::valid},
      {"7", "2/1/2,6/1/1", 3, "indices:6,0,3", Sharing::one_by_one, Padding::valid},
      {"3x3", "2/1/2,2/1/2", 2, "mask:010111010", Sharing::local, Padding::valid},
      {"1x5", "2/1/2,5/5/1", 2, "left-right", Sharing::conv, Padding::same},
      {"5x1", "2/1/2,5/5/1", 2, "top-bottom", Sharing::local, Padding::same},
      {"3x3", "3/1/2", 2, "top-bottom", Sharing::conv, Padding::valid},
      {"3x5", "2/1/2,5/5/1", 2, "odd-even", Sharing::conv, Padding::same},
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
      check_against_reference(r, c.input, c.layers, threads);
      r.representation = Representation::identity;
      r.seed = 7;
      r.prime = 4611686018427387847ULL;
      check_against_reference(r, c.input, c.layers, threads);
    }
}
