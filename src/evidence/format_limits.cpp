#include "seprank/evidence/format_limits.hpp"

#include "seprank/support/errors.hpp"

namespace seprank {

namespace {

[[noreturn]] void beyond(const FormatLimit& limit, const std::string& kind, const std::string& found) {
  throw resource_error(found + ": above the " + kind + " format limit " + limit.name + " = " +
                       std::to_string(limit.value) + " (docs/certificate-format.md, \"Format limits\")");
}

void require_structure(const Architecture& arch, const std::string& kind) {
  const auto positions = static_cast<std::uint64_t>(arch.positions());
  if (positions > max_input_positions.value)
    beyond(max_input_positions, kind,
           "the " + std::to_string(arch.height) + "x" + std::to_string(arch.width) + " input has " +
               std::to_string(positions) + " positions");
  if (static_cast<std::uint64_t>(arch.templates) > max_format_templates.value)
    beyond(max_format_templates, kind, "M = " + std::to_string(arch.templates) + " templates");
  if (arch.layers.size() > max_format_layers.value)
    beyond(max_format_layers, kind, std::to_string(arch.layers.size()) + " layers");
  for (std::size_t l = 0; l < arch.layers.size(); ++l)
    if (!arch.layers[l].pooling && static_cast<std::uint64_t>(arch.layers[l].channels) > max_format_channels.value)
      beyond(max_format_channels, kind,
             "layer " + std::to_string(l + 1) + " has " + std::to_string(arch.layers[l].channels) + " channels");
}

}  // namespace

void require_certificate_format_limits(const Architecture& arch) {
  require_structure(arch, "certificate");
  // The weight matrices a certificate writes out (the representation F, M × M, and the
  // readout are bounded by max_templates and max_channels).
  std::uint64_t entries = 0;
  for (const LayerGeometry& g : resolve_geometry(arch))
    if (!g.pooling)
      entries += static_cast<std::uint64_t>(g.weight_matrices(arch.sharing)) *
                 static_cast<std::uint64_t>(g.out_channels) * static_cast<std::uint64_t>(g.in_channels);
  // resolve_geometry bounds the sum by max_weight_entries (10^8): no overflow above.
  if (entries > max_certificate_weights.value)
    beyond(max_certificate_weights, "certificate", "the network has " + std::to_string(entries) + " weight entries");
}

void require_witness_format_limits(const Architecture& arch) {
  // The unrolled network's size is bounded by the producer's own max_tensor_network_nodes,
  // which is the checkers' max_network_size (docs/cut-witness.md).
  require_structure(arch, "cut witness");
}

void require_certifiable_rank(std::uint64_t rows, std::uint64_t cols, std::optional<std::uint64_t> rank_upper_bound) {
  const std::uint64_t size = rows < cols ? rows : cols;
  if (size <= max_rank.value || (rank_upper_bound && *rank_upper_bound <= max_rank.value)) return;
  beyond(max_rank, "certificate",
         "the " + std::to_string(rows) + " x " + std::to_string(cols) + " matricization may have a rank up to " +
             (rank_upper_bound ? std::to_string(*rank_upper_bound) + " (its min-cut bound)" : std::to_string(size)) +
             "; certify a smaller --vary submatrix");
}

void require_rank_within_format_limits(std::uint64_t rank) {
  if (rank > max_rank.value)
    beyond(max_rank, "certificate", "rank " + std::to_string(rank) + "; certify a smaller --vary submatrix");
}

}  // namespace seprank
