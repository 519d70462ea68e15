#include <iostream>

#include "cli/commands.hpp"
#include "cli/network_options.hpp"
#include "seprank/cluster/merge.hpp"
#include "seprank/support/atomic_file.hpp"
#include "seprank/support/bounded_read.hpp"
#include "seprank/support/errors.hpp"

namespace po = boost::program_options;

namespace seprank::cli {

namespace {

// Largest shard output merge reads: as the checkers' documents (the whole default suite's
// verify --json is about 1 MB).
constexpr std::uint64_t max_shard_output_bytes = std::uint64_t(256) << 20;

}  // namespace

int merge_command(int argc, const char* const* argv) {
  const auto options = options_for("Merge options", {"inputs", "output", "force", "help"});
  po::positional_options_description positional;
  positional.add("inputs", -1);
  const po::variables_map vm = parse_command_line(argc, argv, options, &positional);
  if (vm.count("help")) {
    std::cout << "usage: seprank merge FILE... [-o FILE] [--force]\n"
                 "Joins the outputs of the shards of one run (verify --shard i/n --json, or sweep --shard\n"
                 "i/n) into exactly what one unsharded run writes; refuses shards that do not make one\n"
                 "whole run (docs/cluster.md). Without -o (or with -o -) writes to standard output.\n"
              << options;
    return 0;
  }
  if (!vm.count("inputs")) throw usage_error("merge needs the files the shards wrote (seprank merge FILE...)");
  const std::string output = vm.count("output") ? vm["output"].as<std::string>() : "-";
  const bool force = vm.count("force") > 0;
  if (output != "-") require_writable(output, force);  // before reading anything
  std::vector<ShardOutput> inputs;
  for (const std::string& path : vm["inputs"].as<std::vector<std::string>>())
    inputs.push_back({path, read_regular_file(path, max_shard_output_bytes)});
  const MergedRun merged = merge_shard_outputs(inputs);
  if (output == "-")
    std::cout << merged.bytes;
  else
    write_file_atomically(output, merged.bytes, force);
  // As verify: 1 when the merged run has a claim REFUTED or UNCONFIRMED.
  return merged.ok ? exit_ok : exit_claim_failed;
}

}  // namespace seprank::cli
