#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "cli/network_options.hpp"
#include "seprank/cluster/shard.hpp"
#include "seprank/support/atomic_file.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/sweep/family.hpp"
#include "seprank/sweep/sweep.hpp"

namespace po = boost::program_options;

namespace seprank::cli {

int sweep_command(int argc, const char* const* argv) {
  const auto options =
      options_for("Sweep options", {"family", "shard", "list", "output", "force", "prime", "seed", "threads", "help"});
  po::positional_options_description positional;
  positional.add("family", 1);
  const po::variables_map vm = parse_command_line(argc, argv, options, &positional);
  if (vm.count("help")) {
    std::cout << "usage: seprank sweep FAMILY.toml [--shard i/n] [-o FILE [--force]] [options]\n"
                 "Enumerates every architecture of the family (docs/sweep-format.md) and writes one JSON line\n"
                 "per architecture: its certified rank, its min-cut and whether they meet (docs/sweep-format.md, Lines).\n"
                 "-o writes the file whole at the end (docs/output-files.md).\n"
              << options;
    return 0;
  }
  if (!vm.count("family")) throw usage_error("sweep needs a family file (seprank sweep FAMILY.toml)");
  std::optional<Shard> shard;
  if (vm.count("shard")) shard = parse_shard(vm["shard"].as<std::string>());
  SweepOptions o;
  if (vm.count("prime")) {
    o.prime = prime_from(vm);
    check_prime(o.prime);
  }
  o.seed = parse_unsigned(vm, "seed");
  const int threads = threads_from(vm);
  const bool force = vm.count("force") > 0;
  std::optional<std::string> output =
      vm.count("output") ? std::optional<std::string>(vm["output"].as<std::string>()) : std::nullopt;
  if (output == "-") output.reset();  // standard output, as for verify and merge
  if (force && !output) throw usage_error("--force applies to -o only");
  if (output && vm.count("list")) throw usage_error("--list prints on stdout; it takes no -o");

  const Family family = read_family_file(vm["family"].as<std::string>());
  o.max_matrix_side = family.max_matrix_side;
  const std::vector<FamilyMember> members = enumerate_family(family);
  std::vector<std::size_t> indices;
  for (std::size_t k = 0; k < members.size(); ++k)
    if (!shard || shard->holds(k)) indices.push_back(k);
  if (vm.count("list")) {  // the enumeration only: what a run would rank, in its order
    for (std::size_t k : indices) std::cout << k << ' ' << members[k].group << ' ' << members[k].options() << '\n';
    std::cerr << indices.size() << " of " << members.size() << " architectures\n";
    return 0;
  }
  if (output) require_writable(*output, force);  // before any work
  std::string text;
  run_sweep(members, indices, sweep_fingerprint(family, o), o, threads, [&](std::size_t, const std::string& line) {
    if (output) {
      text += line;
      text += '\n';
    } else {
      std::cout << line << '\n' << std::flush;
      if (!std::cout) throw Error(exit_io, "cannot write to standard output");
    }
  });
  if (output) write_file_atomically(*output, text, force);
  return 0;
}

}  // namespace seprank::cli
