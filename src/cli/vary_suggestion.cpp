#include "cli/vary_suggestion.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <utility>
#include <optional>
#include <string>
#include <vector>

#include "seprank/evidence/format_limits.hpp"
#include "seprank/model/partition.hpp"

namespace seprank::cli {

namespace {

// The strip's shape if `vary` fits where the request did not; nullopt otherwise (or when
// it is no smaller than `than`).
std::optional<PreparedNetwork> fitting(const RankRequest& request, const std::string& vary, std::uint64_t than) {
  RankRequest candidate = request;
  candidate.vary = vary;
  try {
    PreparedNetwork shape = prepare_network_shape(candidate);
    if (shape.rows * shape.cols >= than) return std::nullopt;  // no smaller: refused for another reason
    if (request.certificate && std::min(shape.rows, shape.cols) > max_rank.value) return std::nullopt;
    return shape;
  } catch (const Error&) {
    return std::nullopt;
  }
}

// `side` ordered by the distance (Chebyshev, on the grid of `width` columns) to the nearest
// position of `other`, then by index.
std::vector<int> nearest_first(const std::vector<int>& side, const std::vector<int>& other, int width) {
  std::vector<std::pair<int, int>> keyed;
  for (int p : side) {
    int nearest = INT32_MAX;
    for (int q : other)
      nearest = std::min(nearest, std::max(std::abs(p / width - q / width), std::abs(p % width - q % width)));
    keyed.emplace_back(nearest, p);
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<int> out;
  for (const auto& [distance, p] : keyed) out.push_back(p);
  return out;
}

std::string strip(const PreparedNetwork& shape) {
  return " (a " + std::to_string(shape.rows) + " x " + std::to_string(shape.cols) +
         " strip; its rank is a lower bound, docs/model.md \"Strips\")";
}

}  // namespace

std::string vary_suggestion(const RankRequest& request) {
  // The request's own size; a request that fits was refused for another reason.
  std::uint64_t whole = UINT64_MAX;  // M^|I| x M^|J| beyond 2^40 entries is refused unstated
  try {
    const PreparedNetwork shape = prepare_network_shape(request);
    if (!request.certificate || std::min(shape.rows, shape.cols) <= max_rank.value) return "";
    whole = shape.rows * shape.cols;
  } catch (const Error&) {
  }
  Partition partition;
  std::vector<LayerGeometry> geometry;
  try {
    geometry = resolve_geometry(request.arch);
    partition = make_partition(request.partition, request.arch);
    restrict_partition(partition, "auto", request.fixed_templates, request.arch, geometry);
  } catch (const Error&) {
    return "";  // the network or the partition itself is refused: no strip helps
  }
  if (request.vary == "all") {
    if (const auto shape = fitting(request, "auto", whole)) return "try --vary auto" + strip(*shape);
  }
  // k positions on each side, the largest k that fits, nearest the cut: a compact strip
  // along it, where the rank grows fastest.
  const std::vector<int> vi = nearest_first(partition.vary_I, partition.vary_J, request.arch.width);
  const std::vector<int> vj = nearest_first(partition.vary_J, partition.vary_I, request.arch.width);
  for (std::size_t k = std::min(vi.size(), vj.size()); k >= 1; --k) {
    std::vector<int> chosen(vi.begin(), vi.begin() + static_cast<std::ptrdiff_t>(k));
    chosen.insert(chosen.end(), vj.begin(), vj.begin() + static_cast<std::ptrdiff_t>(k));
    std::sort(chosen.begin(), chosen.end());
    std::string spec = "indices:";
    for (std::size_t i = 0; i < chosen.size(); ++i) spec += (i ? "," : "") + std::to_string(chosen[i]);
    if (spec.size() > 200) continue;  // a suggestion is one readable line
    if (const auto shape = fitting(request, spec, whole)) return "try --vary " + spec + strip(*shape);
  }
  return "";
}

Error with_vary_suggestion(const Error& e, const RankRequest& request) {
  if (e.code() != exit_resource) return e;
  const std::string suggestion = vary_suggestion(request);
  if (suggestion.empty()) return e;
  return Error(exit_resource, std::string(e.what()) + "; " + suggestion);
}

}  // namespace seprank::cli
