#include "seprank/evidence/structured_certificate.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "seprank/evidence/certificate.hpp"
#include "seprank/evidence/independent_check.hpp"
#include "seprank/model/partition.hpp"
#include "seprank/model/random.hpp"
#include "seprank/support/errors.hpp"

namespace seprank {

namespace {

using u64 = std::uint64_t;
constexpr std::size_t max_candidates = 64;

u64 mul_mod(u64 a, u64 b, u64 p) { return static_cast<u64>(static_cast<unsigned __int128>(a) * b % p); }
u64 inverse_mod(u64 a, u64 p) {
  u64 result = 1, e = p - 2;
  for (a %= p; e; e >>= 1, a = mul_mod(a, a, p))
    if (e & 1) result = mul_mod(result, a, p);
  return result;
}

// A nonzero minor of maximal order of a small matrix mod p: its rows and columns, increasing.
struct SmallMinor {
  std::vector<u64> rows, cols;
};
SmallMinor maximal_minor(std::vector<std::vector<u64>> a, u64 p) {
  SmallMinor m;
  std::vector<u64> order(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) order[i] = i;
  std::size_t r = 0;
  for (std::size_t c = 0; !a.empty() && c < a[0].size() && r < a.size(); ++c) {
    std::size_t pivot = r;
    while (pivot < a.size() && a[pivot][c] == 0) ++pivot;
    if (pivot == a.size()) continue;
    std::swap(a[r], a[pivot]);
    std::swap(order[r], order[pivot]);
    const u64 inv = inverse_mod(a[r][c], p);
    for (std::size_t i = r + 1; i < a.size(); ++i) {
      const u64 f = mul_mod(a[i][c], inv, p);
      if (f == 0) continue;
      for (std::size_t k = c; k < a[i].size(); ++k) a[i][k] = (a[i][k] + p - mul_mod(f, a[r][k], p)) % p;
    }
    m.rows.push_back(order[r]);
    m.cols.push_back(c);
    ++r;
  }
  std::sort(m.rows.begin(), m.rows.end());
  return m;
}

// Which first-layer offsets get the drawn matrices: every pair, widest span first.
std::vector<std::pair<int, int>> offset_pairs(const LayerGeometry& g) {
  std::vector<std::pair<int, int>> pairs;
  const int K = g.offsets();
  for (int a = 0; a < K; ++a)
    for (int b = a + 1; b < K; ++b) pairs.emplace_back(a, b);
  auto span = [&](const std::pair<int, int>& q) {
    const int w = g.window_width;
    return std::abs(q.first / w - q.second / w) + std::abs(q.first % w - q.second % w);
  };
  std::stable_sort(pairs.begin(), pairs.end(), [&](const auto& x, const auto& y) { return span(x) > span(y); });
  if (pairs.size() > max_candidates) pairs.resize(max_candidates);
  return pairs;
}

NetworkWeights links_weights(const PreparedNetwork& net, std::pair<int, int> links, u64 p, u64 seed) {
  const Architecture& a = net.arch;
  NetworkWeights w;
  const auto M = static_cast<std::size_t>(a.templates);
  w.representation.assign(M * M, 0);
  for (std::size_t d = 0; d < M; ++d) w.representation[d * M + d] = 1;
  SplitMix64 rng(seed);
  for (std::size_t l = 0; l < net.geometry.size(); ++l) {
    const LayerGeometry& g = net.geometry[l];
    if (g.pooling) {
      w.layers.emplace_back();
      continue;
    }
    const auto size = static_cast<std::size_t>(g.out_channels) * static_cast<std::size_t>(g.in_channels);
    const auto count = static_cast<std::size_t>(g.weight_matrices(a.sharing));
    std::vector<std::int64_t> flat(count * size, 1);
    if (l == 0) {
      std::vector<std::int64_t> psi(size), phi(size);  // residues in [1, p)
      for (auto& v : psi) v = static_cast<std::int64_t>(1 + uniform_below(rng, p - 1));
      for (auto& v : phi) v = static_cast<std::int64_t>(1 + uniform_below(rng, p - 1));
      for (int u = 0; u < g.units(); ++u)
        for (int k = 0; k < g.offsets(); ++k) {
          if (k != links.first && k != links.second) continue;
          const auto m = static_cast<std::size_t>(g.weight_index(a.sharing, u, k));
          std::copy((k == links.first ? psi : phi).begin(), (k == links.first ? psi : phi).end(),
                    flat.begin() + static_cast<std::ptrdiff_t>(m * size));
        }
    }
    w.layers.push_back(std::move(flat));
  }
  w.readout.assign(static_cast<std::size_t>(net.geometry.back().out_channels), 1);
  return w;
}

nlohmann::ordered_json document(const PreparedNetwork& net, u64 p, u64 rank, nlohmann::json factors,
                                const nlohmann::json& informational) {
  const nlohmann::json network = certificate_network_json(net, p);
  nlohmann::ordered_json doc;
  doc["format"] = "seprank-structured-certificate";
  doc["format_version"] = structured_certificate_format_version;
  doc["seprank_version"] = SEPRANK_VERSION;
  doc["claim"] = {{"statement", "rank >= " + std::to_string(rank) + " over GF(" + std::to_string(p) + ")"},
                  {"rank_at_least", rank},
                  {"field", "gfp"},
                  {"prime", p}};
  doc["partition"] = partition_json(net.partition);
  doc["index_order"] = "C";
  doc["network_sha256"] = canonical_sha256(network);
  doc["network"] = network;
  doc["factors"] = std::move(factors);
  for (const auto& [key, value] : informational.items())
    if (!doc.contains(key)) doc[key] = value;
  return doc;
}

struct Candidate {
  u64 rank = 0;  // product of the groups' ranks (saturating at 2^63 − 1)
  nlohmann::json factors = nlohmann::json::array();
};

// The groups of one weight choice: each block of h that meets both sides, its matrix and a
// maximal nonzero minor. nullopt when the checker cannot evaluate it (too large, or zero).
std::optional<Candidate> groups_of(const PreparedNetwork& net, u64 p) {
  const std::string probe = certificate_text(document(net, p, 1, nlohmann::json::array(), {}));
  std::vector<seprank_check::StructuredBlock> blocks;
  const seprank_check::Verdict v = seprank_check::structured_blocks(probe, blocks);
  if (v.exit_code == 1 || v.exit_code == 4) return std::nullopt;
  if (v.exit_code != 0)
    throw Error(exit_internal, "structured certificate: the checker rejects the network seprank wrote (" + v.message +
                                   "): this is a bug in seprank");
  const auto M = static_cast<u64>(net.arch.templates);
  std::vector<bool> in_i(static_cast<std::size_t>(net.arch.height * net.arch.width), false);
  for (int i : net.partition.I) in_i[static_cast<std::size_t>(i)] = true;
  Candidate c;
  c.rank = 1;
  for (const auto& b : blocks) {
    std::vector<u64> row_at{0}, col_at{0};  // each side's contribution to the block's index
    for (std::size_t t = 0; t < b.positions.size(); ++t) {
      u64 stride = 1;
      for (std::size_t rest = t + 1; rest < b.positions.size(); ++rest) stride *= M;
      std::vector<u64>& side = in_i[b.positions[t]] ? row_at : col_at;
      std::vector<u64> next;
      for (u64 i : side)
        for (u64 d = 0; d < M; ++d) next.push_back(i + d * stride);
      side.swap(next);
    }
    if (row_at.size() == 1 || col_at.size() == 1) continue;  // one side only: rank 1
    std::vector<std::vector<u64>> matrix(row_at.size(), std::vector<u64>(col_at.size()));
    for (std::size_t i = 0; i < row_at.size(); ++i)
      for (std::size_t j = 0; j < col_at.size(); ++j) matrix[i][j] = b.table[row_at[i] + col_at[j]];
    const SmallMinor minor = maximal_minor(matrix, p);
    if (minor.rows.size() < 2) continue;
    const u64 r = minor.rows.size();
    c.rank = c.rank > (u64{1} << 63) / r ? (u64{1} << 63) - 1 : c.rank * r;
    c.factors.push_back({{"positions", b.positions}, {"matrix", matrix}, {"rows", minor.rows}, {"cols", minor.cols}});
  }
  return c;
}

}  // namespace

StructuredCertificate find_structured_certificate(const RankRequest& request) {
  if (request.field != Field::gfp)
    throw usage_error("--structured works over GF(p): choose the prime with --prime, not --field Q");
  PreparedNetwork net;
  net.arch = request.arch;
  net.geometry = resolve_geometry(net.arch);
  net.partition = make_partition(request.partition, net.arch);
  restrict_partition(net.partition, request.vary, request.fixed_templates, net.arch, net.geometry);
  net.domain = {true, request.prime, 0};
  const u64 p = request.prime;
  if (net.geometry.front().pooling)
    throw data_error("the links construction does not apply: the first layer is a pool layer (no weights to link with)");
  std::vector<std::pair<int, int>> pairs = offset_pairs(net.geometry.front());
  if (pairs.empty() || net.arch.sharing == Sharing::one_by_one)
    throw data_error("the links construction does not apply: the first layer has " +
                     std::string(pairs.empty() ? "a window of one offset" : "one matrix for every offset (1x1 sharing)") +
                     ", so no two offsets can carry different matrices");
  StructuredCertificate best;
  Candidate chosen;
  for (const auto& pair : pairs) {
    net.weights = links_weights(net, pair, p, request.seed);
    const std::optional<Candidate> c = groups_of(net, p);
    ++best.candidates;
    if (c && c->rank > chosen.rank) {
      chosen = *c;
      best.offsets[0] = pair.first, best.offsets[1] = pair.second;
    }
  }
  if (chosen.rank <= 1)
    throw data_error("the links construction does not apply: none of " + std::to_string(pairs.size()) +
                     " pairs of first-layer offsets gives a rank above 1 on this matricization");
  net.weights = links_weights(net, {best.offsets[0], best.offsets[1]}, p, request.seed);
  best.rank = chosen.rank, best.prime = p, best.groups = chosen.factors.size();
  const nlohmann::json info = {{"seed", request.seed},
                               {"construction", {{"kind", "links"}, {"offsets", {best.offsets[0], best.offsets[1]}}}}};
  best.text = certificate_text(document(net, p, best.rank, std::move(chosen.factors), info));
  require_evidence_verified(best.text,
                            "rank >= " + std::to_string(best.rank) + " over GF(" + std::to_string(p) +
                                ") (structured: " + std::to_string(best.groups) + " groups)",
                            "the structured certificate");
  return best;
}

}  // namespace seprank
