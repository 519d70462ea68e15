// Fuzz target: a theorem file's text (docs/theorem-format.md) through parse_theorem_text, then,
// for its first instances, what `seprank verify` does before computing anything: hypotheses,
// template substitution, the templates expression, the claimed bounds, and the substituted
// strings through the command-line parsers, resolve_geometry and the partition.
//
// A seprank::Error of the user-facing kinds is the expected answer to bad input; anything
// else (another exception, exit_internal, a sanitizer report, a timeout) is a bug.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "seprank/model/architecture.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/model/network_spec.hpp"
#include "seprank/model/partition.hpp"
#include "seprank/theorems/theorem_file.hpp"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

void check_claim(const seprank::ClaimSpec& c, const seprank::Parameters& p) {
  using namespace seprank;
  for (const Hypothesis& h : c.hypotheses) h.expression.evaluate_bool(p);
  Architecture arch;
  parse_input_shape(substitute(c.input, p, c.where), arch);
  const Rational m = Expression::parse(c.templates, c.where).evaluate_number(p);
  if (!m.fits_int64() || m.to_int64() < 1 || m.to_int64() > max_templates) return;
  arch.templates = static_cast<int>(m.to_int64());
  arch.layers = parse_layers(substitute(c.layers, p, c.where));
  arch.sharing = parse_sharing(substitute(c.sharing, p, c.where));
  arch.padding = parse_padding(substitute(c.padding, p, c.where));
  for (const std::string* text : {&c.partition, &c.vary, &c.fixed_templates, &c.templates_matrix})
    require(substitute(*text, p, c.where).size() <= max_substituted_length);
  const auto geometry = resolve_geometry(arch);
  Partition partition = make_partition(substitute(c.partition, p, c.where), arch);
  restrict_partition(partition, substitute(c.vary, p, c.where), substitute(c.fixed_templates, p, c.where),
                     arch, geometry);
  Parameters with_sizes = p;
  with_sizes["size_I"] = Rational(static_cast<std::int64_t>(partition.I.size()));
  with_sizes["size_J"] = Rational(static_cast<std::int64_t>(partition.J.size()));
  if (c.lower) c.lower->evaluate_number(with_sizes).ceil();
  if (c.upper) c.upper->evaluate_number(with_sizes).floor();
}

bool expected(const seprank::Error& e) {
  return e.code() == seprank::exit_usage || e.code() == seprank::exit_data ||
         e.code() == seprank::exit_resource;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 100000) return 0;
  seprank::TheoremFile theorem;
  try {
    theorem =
        seprank::parse_theorem_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.toml");
  } catch (const seprank::Error& e) {
    require(expected(e));
    return 0;
  }
  require(!theorem.claims.empty() && !theorem.instances.empty());
  // A few instances per claim: each one's errors are independent of the others'.
  std::size_t checked = 0;
  for (const auto* set : {&theorem.instances, &theorem.extended})
    for (const seprank::Instance& instance : *set)
      for (const seprank::ClaimSpec& claim : theorem.claims) {
        if (++checked > 16) return 0;
        try {
          check_claim(claim, instance.parameters);
        } catch (const seprank::Error& e) {
          require(expected(e));
        }
      }
  return 0;
}
