// The size limits of the evidence formats, version 1 (docs/certificate-format.md, "Format
// limits"): one table, which both checkers enforce (`seprank-check --limits` prints theirs)
// and which seprank checks before any work, so that nothing it writes is rejected for size.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "seprank/model/architecture.hpp"

namespace seprank {

struct FormatLimit {
  const char* name;      // as in the docs table and the checkers' --limits
  std::uint64_t value;   // the largest value allowed
  const char* what;      // what it bounds, in words
};

inline constexpr FormatLimit max_rank{"max_rank", 16384, "r, the order of a certificate's minor"};
inline constexpr FormatLimit max_input_positions{"max_positions", 1024, "H·W, the input positions"};
inline constexpr FormatLimit max_format_templates{"max_templates", 64, "M, the templates"};
inline constexpr FormatLimit max_format_channels{"max_channels", 4096, "C, the channels of a gc layer"};
inline constexpr FormatLimit max_format_layers{"max_layers", 64, "the layers"};
inline constexpr FormatLimit max_certificate_weights{"max_weight_entries", 1'000'000,
                                                     "entries of all weight matrices W of a certificate"};
inline constexpr FormatLimit max_witness_network{"max_network_size", 1'000'000,
                                                 "vertices + edges of a cut witness's unrolled network"};
inline constexpr FormatLimit max_witness_readings{"max_readings", 2'000'000,
                                                  "readings of units in a cut witness's network"};
inline constexpr FormatLimit max_witness_cut_items{"max_cut_items", 1'000'000, "items of a cut"};
inline constexpr FormatLimit max_json_nesting{"max_nesting", 256, "levels of nested arrays and objects"};

inline constexpr std::array<FormatLimit, 10> format_limits = {
    max_rank,          max_input_positions,     max_format_templates, max_format_channels,
    max_format_layers, max_certificate_weights, max_witness_network,  max_witness_readings,
    max_witness_cut_items, max_json_nesting};

// Resource error (exit 69) naming the limit when an architecture is beyond what a certificate
// (weights included) or a cut witness (weights play no part) may hold. `arch` must be valid.
void require_certificate_format_limits(const Architecture& arch);
void require_witness_format_limits(const Architecture& arch);

// Resource error when a certificate of this rows × cols matricization might need a minor above
// max_rank: min(rows, cols) and the upper bound (the min-cut, when known) both exceed it.
void require_certifiable_rank(std::uint64_t rows, std::uint64_t cols, std::optional<std::uint64_t> rank_upper_bound);
// Resource error when a rank found is above max_rank (when no bound predicted it).
void require_rank_within_format_limits(std::uint64_t rank);

}  // namespace seprank
