// Parsers for the command-line spellings of an architecture: --input and --layers.
#pragma once

#include <string>
#include <vector>

#include "seprank/model/architecture.hpp"

namespace seprank {

// "8" (1D, N = 8) or "4x4" (2D, rows x cols). Sets arch.dims, height, width. Usage error if malformed.
void parse_input_shape(const std::string& text, Architecture& arch);

// "3/1/2,2/2/2,pool2/2": R/S/C per GC layer, poolR/S (or poolR, stride R) per pool layer.
std::vector<LayerSpec> parse_layers(const std::string& text);

Sharing parse_sharing(const std::string& text);
Padding parse_padding(const std::string& text);

}  // namespace seprank
