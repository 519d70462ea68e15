// Theorem files (docs/theorem-format.md, version 1): a statement, its claims over an
// architecture family, and the instances to check it on.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "seprank/theorems/expression.hpp"
#include "seprank/theorems/rational.hpp"

namespace seprank {

inline constexpr int theorem_format_version = 1;

using Parameters = std::map<std::string, Rational>;

struct Hypothesis {
  std::string text;
  Expression expression;
};

// What backs a claim's lower bound: a dense nonzero minor at random weights (the default), or a
// structured certificate at the links construction's weights (docs/structured-certificate.md),
// which reaches ranks no dense minor can.
enum class ClaimEvidence { dense, structured };

struct ClaimSpec {
  std::string name;
  ClaimEvidence evidence = ClaimEvidence::dense;
  std::string where;  // "file:line" of the [[claim]] table
  // Templates: "{expression}" parts are replaced by integer values (substitute()).
  std::string input, templates, layers, sharing, padding, partition, templates_matrix, vary, fixed_templates;
  std::optional<Expression> lower, upper;
  std::string lower_text, upper_text;
  std::vector<Hypothesis> hypotheses;
};

struct Instance {
  Parameters parameters;
  std::vector<std::string> only_claims;  // empty: every claim; else the named claims only
  std::string where;  // "file:line" of its [[instances]] or [[extended]] table
};

struct TheoremFile {
  std::string path;
  std::string id, title, source, derivation, statement;
  std::vector<ClaimSpec> claims;
  std::vector<Instance> instances;  // the default set
  std::vector<Instance> extended;   // run with --extended
};

// Reads and validates a theorem file; every problem is a data error naming file and line
// (a file that cannot be read: exit 66).
TheoremFile read_theorem_file(const std::string& path);
// The same for a file's text; `path` only names it in messages (the fuzz target's entry).
TheoremFile parse_theorem_text(const std::string& text, const std::string& path);

// Longest string a template may expand to: far above any valid value (an indices: list of
// 4096 positions is ~20 000 characters), far below what nested repetitions could build.
inline constexpr std::size_t max_substituted_length = 100'000;

// Expands each "(group)^{count}" into count copies of the group, then replaces each
// "{expression}" by its integer value. Data error (with `where`) when an expression is
// malformed, names an unknown parameter or is not an integer, or when the result would be
// longer than max_substituted_length.
std::string substitute(const std::string& text, const Parameters& parameters, const std::string& where);

// `--layers` on the command line: the same "(group)^{count}" repetitions with a literal count
// (digits, in [0, 1000]); the copies of a group with no comma at either end are joined by
// commas ("(2/1/2)^{3},3/1/1" is "2/1/2,2/1/2,2/1/2,3/1/1", and a count of 0 drops one
// neighbouring comma), a group with its comma is copied as in theorem files
// ("3/1/2(,2/1/2)^{2}"). Data errors, with `where`, as substitute().
std::string expand_layer_repetitions(const std::string& layers, const std::string& where);

// "N=8 R=3 M=2" in the file's key order.
std::string describe(const Parameters& parameters);

}  // namespace seprank
