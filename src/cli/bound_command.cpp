#include <iostream>

#include "cli/commands.hpp"
#include "cli/network_options.hpp"
#include "cli/output_file.hpp"
#include "cli/upper_bound_json.hpp"
#include "seprank/bounds/cut_witness.hpp"
#include "seprank/evidence/format_limits.hpp"
#include "seprank/model/network_spec.hpp"
#include "seprank/support/atomic_file.hpp"
#include "seprank/support/errors.hpp"

namespace po = boost::program_options;

namespace seprank::cli {

int bound_command(int argc, const char* const* argv) {
  const auto options = options_for("Bound options", joined(network_option_names(), {"network", "witness", "force", "json", "help"}));
  const auto vm = parse_command_line(argc, argv, options);
  if (vm.count("help")) {
    std::cout << "usage: seprank bound <rank options> [--witness FILE [--force]]\n"
                 "Upper bound on the rank for every weight setting: a minimum cut of the grid tensor's\n"
                 "tensor network (docs/min-cut.md). Weights, field and seed play no part; --network FILE\n"
                 "takes the architecture from a network file and ignores its weights.\n"
                 "The witness file is written whole (docs/output-files.md); --witness - writes it to\n"
                 "standard output and the table to stderr (not with --json); a file named - is ./-.\n"
              << options;
    return 0;
  }
  const RankRequest request = rank_request_from(vm);
  resolve_geometry(request.arch);  // the same validation as `rank`
  const Partition partition = make_partition(request.partition, request.arch);
  const bool witness_to_stdout = vm.count("witness") && is_standard_output(vm["witness"].as<std::string>());
  if (witness_to_stdout && vm.count("json"))
    throw usage_error("--witness - writes the witness to standard output, where --json would write too");
  if (vm.count("witness")) {  // before any work
    require_witness_format_limits(request.arch);
    require_output_writable(vm["witness"].as<std::string>(), vm.count("force") > 0);
  }
  const MinCutBound b = min_cut_bound(request.arch, partition);
  if (vm.count("witness"))
    write_output(vm["witness"].as<std::string>(), cut_witness_json(request.arch, partition, b).dump() + "\n",
                 vm.count("force") > 0);
  if (vm.count("json")) {
    // The bound holds for every F: no templates_matrix (bound takes no --templates-matrix).
    nlohmann::json bound_architecture = architecture_json(request.arch, request.representation);
    bound_architecture.erase("templates_matrix");
    nlohmann::json cut = nlohmann::json::array();
    for (const CutItem& item : b.cut)
      cut.push_back({{"kind", item.kind == CutItem::Kind::bond ? "bond" : "copy_tensor"},
                     {"dim", item.dim},
                     {"description", item.description}});
    std::cout << nlohmann::json{{"schema_version", 2},  // docs/schema/bound.schema.json
                                {"seprank_version", SEPRANK_VERSION},
                                {"command", "bound"},
                                {"upper_bound", bound_value(b)},
                                {"cut_product", b.cut_product},
                                {"matrix_size_limit", b.matrix_size_limit},
                                {"limited_by", to_string(b.limited_by)},
                                {"cut", cut},
                                {"architecture", bound_architecture},
                                {"partition", partition.I},
                                {"partition_spec", partition.spec},
                                {"tensor_network", {{"nodes", b.network_nodes}, {"bonds", b.network_bonds}}}}
                     .dump(2)
              << "\n";
    return 0;
  }
  std::ostream& o = witness_to_stdout ? std::cerr : std::cout;  // beside a witness on stdout: stderr
  o << "architecture   " << describe(request.arch) << "\n"
            << "partition      " << partition.spec << "\n"
            << "upper bound    " << b.bound << "  (for all weights; limited by " << to_string(b.limited_by) << ")\n"
            << "cut product    " << b.cut_product << "  M^min(|I|,|J|) = " << b.matrix_size_limit << "\n"
            << "tensor network " << b.network_nodes << " nodes, " << b.network_bonds << " bonds\n"
            << "cut (" << b.cut.size() << " items):\n";
  for (const CutItem& item : b.cut) o << "  " << item.description << "\n";
  return 0;
}

}  // namespace seprank::cli
