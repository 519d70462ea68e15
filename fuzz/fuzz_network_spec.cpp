// Fuzz target: the command-line spellings of a network (--input, --templates, --layers,
// --sharing, --padding, --partition, --vary, --fixed-templates) through the parsers,
// resolve_geometry, the partition, the assembly plan, the memory estimate and, for small
// networks, the min-cut bound -- everything `seprank rank` and `bound` do before any weight.
//
// Input: the option values separated by '|', in this order (missing ones keep the CLI
// defaults), e.g. "4x4|3/1/2,2/1/2|odd-even|auto|0|conv|valid|2".
//
// A seprank::Error of the user-facing kinds is the expected answer to bad input; anything
// else (another exception, exit_internal, a broken invariant, a sanitizer report) is a bug.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "seprank/model/architecture.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/assembly/grid_evaluator.hpp"
#include "seprank/model/network_spec.hpp"
#include "seprank/assembly/matricization.hpp"
#include "seprank/bounds/min_cut_bound.hpp"
#include "seprank/model/partition.hpp"
#include "seprank/bounds/tensor_network.hpp"

namespace {

void require(bool condition) {
  if (!condition) std::abort();  // an invariant of a validated network does not hold
}

std::vector<std::string> fields_of(const std::string& text) {
  std::vector<std::string> fields = {"8", "3/1/2,6/1/1", "left-right", "all", "0", "conv", "valid", "2"};
  std::size_t start = 0;
  for (std::size_t k = 0; k < fields.size() && start <= text.size(); ++k) {
    const std::size_t bar = std::min(text.find('|', start), text.size());
    fields[k] = text.substr(start, bar - start);
    start = bar + 1;
  }
  return fields;
}

void check_network(const std::vector<std::string>& f) {
  using namespace seprank;
  NetworkSpelling spelling;
  spelling.input = f[0];
  spelling.layers = f[1];
  spelling.partition = f[2];
  spelling.vary = f[3];
  spelling.fixed_templates = f[4];
  spelling.sharing = f[5];
  spelling.padding = f[6];
  spelling.templates = f[7];
  const NetworkSpec spec = parse_network_spelling(spelling, SpellingSource::command_line);
  const Architecture& arch = spec.arch;
  const std::vector<LayerGeometry> geometry = resolve_geometry(arch);

  require(!geometry.empty() && geometry.back().units() == 1);
  for (const LayerGeometry& g : geometry)
    for (int u = 0; u < g.units(); ++u)
      for (int k = 0; k < g.offsets(); ++k) {
        const int position = g.input_of(u, k);
        require(position >= -1 && position < g.in_units());
      }

  Partition partition = make_partition(f[2], arch);
  require(partition.I.size() + partition.J.size() == static_cast<std::size_t>(arch.positions()));
  restrict_partition(partition, f[3], f[4], arch, geometry);
  require(!partition.vary_I.empty() && !partition.vary_J.empty());

  const auto m = static_cast<std::uint64_t>(arch.templates);
  const std::uint64_t rows = checked_power(m, partition.vary_I.size());
  const std::uint64_t cols = checked_power(m, partition.vary_J.size());
  require(network_memory_words(arch, geometry, 1) > 0);
  if (rows != 0 && cols != 0 && rows <= 4096 && cols <= 4096) {  // what prepare_network would accept cheaply
    const AssemblyPlan plan(geometry, partition);
    require(plan.digit_positions().size() == partition.vary_I.size() + partition.vary_J.size());
  }

  // The min-cut: the tensor network refuses more than 10^6 nodes itself; max-flow only on
  // small ones, to keep the executions fast.
  const TensorNetwork network = build_tensor_network(arch, geometry);
  if (network.nodes.size() <= 5000) {
    const MinCutBound bound = min_cut_bound(network, partition);
    require(!bound.bound.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 20000) return 0;  // a mask or index list for 4096 positions fits well within
  try {
    check_network(fields_of(std::string(reinterpret_cast<const char*>(data), size)));
  } catch (const seprank::Error& e) {
    // A network's value is never a usage error (network_spec.hpp): data or resource only.
    require(e.code() == seprank::exit_data || e.code() == seprank::exit_resource);
  }
  return 0;
}
