#include "cli/option_table.hpp"

#include <stdexcept>

#include "seprank/rank/rank_request.hpp"

namespace po = boost::program_options;

namespace seprank::cli {

namespace {

enum class Takes { nothing, value, values };  // a flag, one word, or every positional word

struct OptionRow {
  const char* name;          // program_options' spelling: "output,o" adds the short form -o
  Takes takes;
  bool required;
  const char* default_value;  // nullptr: none (vm.count tells whether it was given)
  const char* help;
};

const std::string weight_bound_default = std::to_string(default_weight_bound);

const std::vector<OptionRow>& table() {
  static const std::vector<OptionRow> rows = {
      // The network (docs/model.md), spelled as in theorem files (docs/theorem-format.md).
      // --input and --layers are required unless --network gives the network (rank_request_from).
      {"input", Takes::value, false, nullptr, "input shape: N (1D) or HxW (2D, rows x cols)"},
      {"templates", Takes::value, false, "2", "number of templates M"},
      {"layers", Takes::value, false, nullptr,
       "layers, comma separated: R/S/C for a GC layer, poolR/S for a pooling layer; (group)^{count} "
       "repeats a group, its copies comma separated: (2/1/2)^{8},2/2/1"},
      {"sharing", Takes::value, false, "conv", "weight sharing: conv, local or 1x1"},
      {"padding", Takes::value, false, "valid", "window padding: valid or same"},
      {"partition", Takes::value, false, "left-right",
       "left-right, top-bottom, odd-even, mask:<0/1 per position> or indices:<i,j,...>"},
      {"vary", Takes::value, false, "all",
       "assemble only the submatrix where these positions vary (all, auto, mask:..., indices:...); "
       "its rank is a lower bound"},
      {"fixed-templates", Takes::value, false, "0",
       "templates of the positions --vary leaves out: one for all, or one digit per position"},
      {"templates-matrix", Takes::value, false, "random", "F: random or identity"},
      {"network", Takes::value, false, nullptr,
       "rank the network in FILE, weights included, instead of drawn weights: a certificate's network "
       "object, or a whole certificate (docs/model.md \"Given weights\"); replaces --input, --templates, "
       "--layers, --sharing, --padding, --templates-matrix, --seed and --weight-bound"},
      // The rank computation.
      {"field", Takes::value, false, "gfp", "gfp (rank over GF(p)) or Q (exact rank over Q)"},
      {"prime", Takes::value, false, nullptr,
       "the prime p of GF(p), or 'fast': 2^23 - 15, ranked at BLAS speed. Default 2^62 - 57; `rank` and "
       "`verify` start at 2^23 - 15 on matrices of 512 rows and columns or more (docs/model.md \"Default prime\")"},
      {"seed", Takes::value, false, "1",
       "seed of the weight generator (SplitMix64); retries take the next seeds"},
      {"weight-bound", Takes::value, false, weight_bound_default.c_str(),
       "--field Q: integer weights uniform in [-B, B]"},
      {"weights", Takes::value, false, "uniform",
       "real weights as doubles: uniform (in [-1, 1)) or gaussian (N(0, 1))"},
      {"threads", Takes::value, false, "0", "threads for assembly and rank (0 = all cores)"},
      {"max-memory", Takes::value, false, nullptr,
       "refuse (verify: skip) work whose estimated memory exceeds this many MiB (default: the "
       "machine's memory)"},
      // verify.
      {"paths", Takes::values, false, nullptr, "theorem files or directories (default ./proofs, else the installed suite)"},
      {"extended", Takes::nothing, false, nullptr, "also run each file's [[extended]] instances"},
      {"retries", Takes::value, false, "2", "extra seeds tried before a lower bound is UNCONFIRMED"},
      {"compare-float", Takes::nothing, false, nullptr,
       "add a column: numpy's float rank of the same network in double precision (data, not a verdict)"},
      // Sharding and merging (docs/cluster.md).
      {"shard", Takes::value, false, nullptr,
       "run shard i of n (i/n, 1 <= i <= n): the work units whose 0-based global index k has k mod n = i - 1"},
      {"inputs", Takes::values, false, nullptr,
       "the shards' outputs of one run: verify --json documents or sweep JSON Lines files"},
      // sweep.
      {"family", Takes::value, false, nullptr, "the family file to sweep (docs/sweep-format.md)"},
      {"list", Takes::nothing, false, nullptr,
       "print the architectures (index, group, options) without ranking them, and their count on stderr"},
      // Output.
      // Required by certify (which checks it), optional for verify, merge and sweep (stdout).
      {"output,o", Takes::value, false, nullptr,
       "file to write (certify: the certificate; verify: the table or --json document; merge: the merged "
       "output; sweep: the lines); - for standard output (the default of verify, merge and sweep)"},
      {"witness", Takes::value, false, nullptr, "write the cut witness (docs/cut-witness.md) to this file (- for standard output)"},
      {"certificates", Takes::value, false, nullptr,
       "write a certificate for every PROVEN lower bound and REFUTED upper bound into this directory"},
      {"bundle", Takes::value, false, nullptr,
       "write a proof bundle: every verdict with its evidence (docs/proof-bundle.md)"},
      {"force", Takes::nothing, false, nullptr,
       "replace output files that exist (-o, --witness, --certificates, --bundle)"},
      {"structured", Takes::nothing, false, nullptr,
       "write a structured certificate (docs/structured-certificate.md): particular weights under which the "
       "network splits into small groups; ranks far beyond a dense minor"},
      {"json", Takes::nothing, false, nullptr, "print one JSON object on stdout instead of the table"},
      {"timings", Takes::nothing, false, nullptr,
       "include wall-clock timings in --json output (makes it differ between runs)"},
      {"help,h", Takes::nothing, false, nullptr, "show this help"},
  };
  return rows;
}

// "output,o" -> "output".
std::string long_name(const char* spelling) {
  const std::string s = spelling;
  return s.substr(0, s.find(','));
}

}  // namespace

po::options_description options_for(const std::string& caption, const std::vector<std::string>& names) {
  po::options_description d(caption);
  for (const std::string& name : names) {
    const OptionRow* row = nullptr;
    for (const OptionRow& r : table())
      if (long_name(r.name) == name) row = &r;
    if (!row) throw std::logic_error("options_for: no option '" + name + "' in the table");
    switch (row->takes) {
      case Takes::nothing:
        d.add_options()(row->name, row->help);
        break;
      case Takes::value: {
        auto* value = po::value<std::string>();
        if (row->required) value->required();
        if (row->default_value) value->default_value(row->default_value);
        d.add_options()(row->name, value, row->help);
        break;
      }
      case Takes::values:
        d.add_options()(row->name, po::value<std::vector<std::string>>()->multitoken(), row->help);
        break;
    }
  }
  return d;
}

const std::vector<std::string>& network_option_names() {
  static const std::vector<std::string> names = {"input", "templates", "layers", "sharing", "padding", "partition"};
  return names;
}

const std::vector<std::string>& weight_option_names() {
  static const std::vector<std::string> names = {"vary", "fixed-templates", "templates-matrix", "seed"};
  return names;
}

std::vector<std::string> joined(std::vector<std::string> first, const std::vector<std::string>& then) {
  first.insert(first.end(), then.begin(), then.end());
  return first;
}

}  // namespace seprank::cli
