// seprank: exact ranks of grid-tensor matricizations of convolutional arithmetic circuits.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>

#include "cli/commands.hpp"
#include "seprank/support/cpu_support.hpp"
#include "seprank/support/errors.hpp"

namespace {

const char* const usage =
    "usage: seprank <command> [options]\n"
    "commands:\n"
    "  verify   check every theorem file (proofs/*.toml) on its instances\n"
    "  sweep    every architecture of a family: certified rank, min-cut, settled (JSON Lines)\n"
    "  rank     exact rank of a network's grid-tensor matricization\n"
    "  certify  write a certificate that the rank is at least r (checked by seprank-check)\n"
    "  bound    upper bound on the rank for all weights (tensor-network min-cut)\n"
    "  compare  floating-point (numpy) rank against the exact rank of the same weights\n"
    "  demo     overlapping vs non-overlapping 2D networks, side by side\n"
    "  merge    join the outputs of a run's shards (--shard i/n) into one run's output\n"
    "run 'seprank <command> --help' for the options of a command\n";

// Messages quote the user's input, which may hold a newline: errors stay one line.
std::string one_line(std::string message) {
  for (char& c : message)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return message;
}

// One command: its exit code, or a seprank::Error.
int run_command(int argc, char** argv) {
  // For the test of exit code 70 only (docs/errors.md): the path a bug in seprank would take.
  if (std::getenv("SEPRANK_INJECT_INTERNAL_ERROR"))
    throw std::logic_error("injected by SEPRANK_INJECT_INTERNAL_ERROR");
  if (argc < 2) {
    std::cerr << usage;
    return seprank::exit_usage;
  }
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << usage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "seprank " << SEPRANK_VERSION << "\n";
    return 0;
  }
  // --help and --version work on any CPU; the commands may reach the ISA-specific kernels.
  seprank::require_kernel_features();
  // Subcommands see their own name as argv[0].
  if (command == "verify") return seprank::cli::verify_command(argc - 1, argv + 1);
  if (command == "sweep") return seprank::cli::sweep_command(argc - 1, argv + 1);
  if (command == "rank") return seprank::cli::rank_command(argc - 1, argv + 1);
  if (command == "certify") return seprank::cli::certify_command(argc - 1, argv + 1);
  if (command == "bound") return seprank::cli::bound_command(argc - 1, argv + 1);
  if (command == "compare") return seprank::cli::compare_command(argc - 1, argv + 1);
  if (command == "demo") return seprank::cli::demo_command(argc - 1, argv + 1);
  if (command == "merge") return seprank::cli::merge_command(argc - 1, argv + 1);
  throw seprank::usage_error("unknown command '" + command + "' (try 'seprank --help')");
}

}  // namespace

int main(int argc, char** argv) {
  using seprank::Error;
  try {
    const int code = run_command(argc, argv);
    // stdout is buffered: a full disk or a closed pipe shows only now, and a truncated
    // table or JSON object must not end with exit 0.
    std::cout.flush();
    if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout))
      throw Error(seprank::exit_io, "cannot write to standard output");
    return code;
  } catch (const Error& e) {
    std::cerr << "seprank: error: " << one_line(e.what()) << "\n";
    return e.code();
  } catch (const std::bad_alloc&) {
    std::cerr << "seprank: error: out of memory\n";
    return seprank::exit_resource;
  } catch (const std::exception& e) {
    std::cerr << "seprank: internal error: " << one_line(e.what()) << "\n";
    return seprank::exit_internal;
  }
}
