// A family of architectures (docs/sweep-format.md): a versioned TOML file of groups, each the
// product of a few lists (inputs, M, depth, windows, strides, channels, layer kinds, sharing,
// padding, partitions), and its enumeration in one canonical order. Architectures that are not
// well-formed are skipped by the rules of docs/sweep-format.md, never refused.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace seprank {

inline constexpr int family_format_version = 1;
// A family may enumerate at most this many architectures (exit 69 beyond, while enumerating).
inline constexpr std::size_t max_family_size = 2'000'000;
inline constexpr std::size_t max_family_file_bytes = std::size_t{1} << 20;

struct FamilyGroup {
  std::string name;
  std::string where;                 // "file:line" of its [[group]] table
  std::vector<std::string> inputs;   // "8" (1D) or "4x4" (2D), as --input
  std::vector<int> templates;        // M
  std::vector<int> depths;           // layers below the global layer
  std::vector<int> windows, strides, channels;  // of the layers below the global layer
  std::vector<std::string> layer_kinds;          // "gc" (weighted), "pool" (product pooling)
  std::vector<std::string> global_kinds;         // the same, for the global layer
  std::vector<int> global_channels;              // C of a "gc" global layer
  std::vector<std::string> sharing;              // conv, local, 1x1
  std::vector<std::string> padding;              // valid, same
  std::vector<std::string> partitions;           // left-right, top-bottom, odd-even, mask:..., indices:...
};

struct Family {
  std::string path;
  std::string name, title;
  std::string sha256;        // of the file's bytes: part of every sweep line's fingerprint
  // Matricizations above this many rows or columns are certified on a sub-selection
  // (sweep.hpp, sub_selection.hpp).
  std::uint64_t max_matrix_side = 1024;
  std::vector<FamilyGroup> groups;
};

// One architecture of a family: the options of `seprank rank` and `seprank bound` that give it.
struct FamilyMember {
  std::string group;
  std::string input, layers, sharing, padding, partition;
  int templates = 2;
  int depth = 0;                  // layers below the global layer
  // "--input 8 --templates 2 --layers 3/1/2,6/1/1 --sharing conv --padding valid --partition left-right"
  std::string options() const;
};

// Reads and validates a family file: data error (exit 65) naming file and line for anything
// malformed (not TOML, an unknown or missing key, a wrong type, an empty or repeated list
// value, a value out of range, an unknown kind); exit 66 when it cannot be read.
Family read_family_file(const std::string& path);
Family parse_family_text(const std::string& text, const std::string& path);

// Every well-formed member, in the canonical order (docs/sweep-format.md); resource error
// (exit 69) beyond max_family_size.
std::vector<FamilyMember> enumerate_family(const Family& family);

}  // namespace seprank
