// Tiny networks whose grid tensors are written down by hand, with hand-picked weights.
#include <doctest/doctest.h>

#include "seprank/assembly/assemble.hpp"
#include "seprank/rank/exact_rank.hpp"
#include "test_support.hpp"

using namespace seprank;

namespace {

// A prepared network with the given weights (no random draw), over Q.
PreparedNetwork hand_network(const std::string& input, const std::string& layers, int m, NetworkWeights w,
                             const std::string& partition = "left-right") {
  RankRequest r = test_support::request(input, layers, m, partition);
  r.field = Field::rationals;
  PreparedNetwork net = prepare_network(r);
  net.weights = std::move(w);
  return net;
}

std::vector<std::vector<long>> entries(const FmpzMatrix& m) {
  std::vector<std::vector<long>> out(static_cast<std::size_t>(m.rows()));
  for (std::int64_t i = 0; i < m.rows(); ++i)
    for (std::int64_t j = 0; j < m.cols(); ++j) out[static_cast<std::size_t>(i)].push_back(fmpz_get_si(m.at(i, j)));
  return out;
}

}  // namespace

TEST_CASE("N = 2, one global layer, one channel: A[d0][d1] = a * W0[d0] * W1[d1], rank 1") {
  // F = identity; conv sharing gives one 1x2 matrix per offset: W0 = [2, 3], W1 = [5, 7]; a = 11.
  const PreparedNetwork net = hand_network("2", "2/1/1", 2, {{1, 0, 0, 1}, {{2, 3, 5, 7}}, {11}});
  const FmpzMatrix m = assemble_integers(net);
  const std::vector<std::vector<long>> expected = {{11 * 2 * 5, 11 * 2 * 7}, {11 * 3 * 5, 11 * 3 * 7}};
  CHECK(entries(m) == expected);
  CHECK(rank_over_q(m) == 1);
}

TEST_CASE("N = 2, two channels: A = W0^T diag(a) W1") {
  // W0 = I (rows are channels), W1 = [[1, 2], [3, 4]], a = [1, 1]: A[d0][d1] = W1[d0][d1].
  const PreparedNetwork full = hand_network("2", "2/1/2", 2, {{1, 0, 0, 1}, {{1, 0, 0, 1, 1, 2, 3, 4}}, {1, 1}});
  CHECK(entries(assemble_integers(full)) == std::vector<std::vector<long>>{{1, 2}, {3, 4}});
  CHECK(rank_over_q(assemble_integers(full)) == 2);
  // W1 = [[1, 2], [2, 4]] is singular, so A is too.
  const PreparedNetwork low = hand_network("2", "2/1/2", 2, {{1, 0, 0, 1}, {{1, 0, 0, 1, 1, 2, 2, 4}}, {1, 1}});
  CHECK(rank_over_q(assemble_integers(low)) == 1);
}

TEST_CASE("F enters as rows: F = [[1, 1], [0, 1]] with one global 1-channel layer") {
  // x(d) = F[d]: x(0) = (1, 1), x(1) = (0, 1). W0 = W1 = [1, 2], a = 1:
  // W·x(0) = 3, W·x(1) = 2, so A = [[9, 6], [6, 4]] (rank 1).
  const PreparedNetwork net = hand_network("2", "2/1/1", 2, {{1, 1, 0, 1}, {{1, 2, 1, 2}}, {1}});
  CHECK(entries(assemble_integers(net)) == std::vector<std::vector<long>>{{9, 6}, {6, 4}});
}

TEST_CASE("pooling multiplies channels - 1x1 sharing reuses one matrix") {
  // N = 4, layers 1/1/2 (1x1 sharing: W = [[1, 0], [1, 1]]), pool2/2, then 2/1/1 with W = [1, 1]
  // at both offsets (1x1 sharing: one matrix), a = 1. F = identity.
  // Unit i of layer 1: (W F[d_i]) = d_i == 0 ? (1, 1) : (0, 1).
  // Pool: p_0 = y_0 ⊙ y_1, p_1 = y_2 ⊙ y_3; top: (p_0[0] + p_0[1]) · (p_1[0] + p_1[1]).
  // p[0] = [d_a == 0 and d_b == 0], p[1] = 1, so h = (1 + [d0 = d1 = 0]) · (1 + [d2 = d3 = 0]).
  RankRequest r = test_support::request("4", "1/1/2,pool2/2,2/1/1", 2, "left-right", Sharing::one_by_one);
  r.field = Field::rationals;
  PreparedNetwork net = prepare_network(r);
  net.weights = {{1, 0, 0, 1}, {{1, 0, 1, 1}, {}, {1, 1}}, {1}};
  const FmpzMatrix m = assemble_integers(net);
  const std::vector<long> side = {2, 1, 1, 1};  // 1 + [both zero], over (d_a, d_b) in C order
  std::vector<std::vector<long>> expected(4);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) expected[i].push_back(side[i] * side[j]);
  CHECK(entries(m) == expected);
  CHECK(rank_over_q(m) == 1);
  // odd-even cuts both pools: h = (1 + [d0=0][d1=0]) (1 + [d2=0][d3=0]) with I = {0, 2}:
  // a Kronecker product of two rank-2 matrices [[2,1],[1,1]], rank 4.
  r.partition = "odd-even";
  net = prepare_network(r);
  net.weights = {{1, 0, 0, 1}, {{1, 0, 1, 1}, {}, {1, 1}}, {1}};
  CHECK(rank_over_q(assemble_integers(net)) == 4);
}

TEST_CASE("2D 2x2 input, index order: rows over I = {0, 2} (left column), first position most significant") {
  // One global 2x2 layer, one channel, F = identity, conv: offset k (row-major) has W_k = [1, b_k]
  // with b = (2, 3, 5, 7). h = prod_k (d_k ? b_k : 1). Left-right: I = {0, 2}, J = {1, 3}.
  const PreparedNetwork net = hand_network("2x2", "2/1/1", 2, {{1, 0, 0, 1}, {{1, 2, 1, 3, 1, 5, 1, 7}}, {1}});
  const std::vector<long> rows = {1, 5, 2, 10};  // (d0, d2) = 00, 01, 10, 11 -> 1, b2, b0, b0 b2
  const std::vector<long> cols = {1, 7, 3, 21};  // (d1, d3)
  std::vector<std::vector<long>> expected(4);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) expected[i].push_back(rows[i] * cols[j]);
  CHECK(entries(assemble_integers(net)) == expected);
}

TEST_CASE("same padding leaves outside offsets out of the product") {
  // N = 3, layer 2/2/1 same: out = ceil(3/2) = 2, pad_total = (2-1)*2 + 2 - 3 = 1, pad_before = 0.
  // Unit 0 reads positions 0, 1; unit 1 reads position 2 (offset 0) and nothing else.
  // W_0 = [1, 2], W_1 = [1, 3] (conv), then a 2/2/1 layer (out 1) with W = [1]: y = u0 * u1.
  // h = (d0 ? 2 : 1)(d1 ? 3 : 1)(d2 ? 2 : 1).
  RankRequest r = test_support::request("3", "2/2/1,2/2/1", 2, "mask:100");
  r.field = Field::rationals;
  r.arch.padding = Padding::same;
  PreparedNetwork net = prepare_network(r);
  net.weights = {{1, 0, 0, 1}, {{1, 2, 1, 3}, {1, 1}}, {1}};
  const std::vector<long> j_part = {1, 2, 3, 6};  // (d1, d2) = 00, 01, 10, 11
  std::vector<std::vector<long>> expected(2);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 4; ++j) expected[i].push_back((i ? 2 : 1) * j_part[j]);
  CHECK(entries(assemble_integers(net)) == expected);
}
