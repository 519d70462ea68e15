// The text of one network and its matricization, and its one parser. The command line's
// options (--input, --layers, ...) and a theorem claim's fields (input = ..., after its
// templates are substituted) are both a NetworkSpelling, so the same mistake gets the same
// message and exit code in every command and in theorem files: a value that is wrong is a data
// error (exit 65), a size beyond the hard limits a resource error (69).
#pragma once

#include <string>
#include <vector>

#include "seprank/model/architecture.hpp"
#include "seprank/model/network_weights.hpp"

namespace seprank {

// Where a spelling came from: messages name the option ("--fixed-templates") or the theorem
// file's key ("fixed_templates").
enum class SpellingSource { command_line, theorem_file };

struct NetworkSpelling {
  std::string input;                      // "8" (1D) or "4x4" (2D, rows x cols)
  std::string templates = "2";            // M, decimal
  std::string layers;                     // "3/1/2,2/2/2,pool2/2"
  std::string sharing = "conv";           // conv, local, 1x1
  std::string padding = "valid";          // valid, same
  std::string partition = "left-right";   // checked against the geometry by make_partition
  std::string vary = "all";               // checked by restrict_partition
  std::string fixed_templates = "0";      // checked by restrict_partition
  std::string templates_matrix = "random";  // random, identity
};

struct NetworkSpec {
  Architecture arch;  // every field set; geometry not yet resolved (resolve_geometry)
  std::string partition, vary, fixed_templates;
  Representation representation = Representation::random;
};

NetworkSpec parse_network_spelling(const NetworkSpelling& spelling, SpellingSource source);

// The parts, for callers that build an architecture piece by piece (tests, the demo). Messages
// name the command-line option.
// "8" (1D, N = 8) or "4x4" (2D, rows x cols). Sets arch.dims, height, width.
void parse_input_shape(const std::string& text, Architecture& arch);
// "3/1/2,2/2/2,pool2/2": R/S/C per GC layer, poolR/S (or poolR, stride R) per pool layer.
std::vector<LayerSpec> parse_layers(const std::string& text);
Sharing parse_sharing(const std::string& text);
Padding parse_padding(const std::string& text);

}  // namespace seprank
