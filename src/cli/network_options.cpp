#include "cli/network_options.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <thread>

#include "seprank/support/errors.hpp"
#include "seprank/rank/exact_rank.hpp"
#include "seprank/model/network_file.hpp"
#include "seprank/model/network_spec.hpp"
#include "seprank/theorems/theorem_file.hpp"

namespace po = boost::program_options;

namespace seprank::cli {

std::uint64_t parse_unsigned(const po::variables_map& vm, const char* name) {
  const std::string text = vm[name].as<std::string>();
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    throw usage_error(std::string("--") + name + ": '" + text + "' is not a non-negative integer below 2^64");
  return value;
}

int threads_from(const po::variables_map& vm) {
  const std::uint64_t threads = parse_unsigned(vm, "threads");
  if (threads > 64) throw usage_error("--threads must be at most 64");
  return threads == 0 ? static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))
                      : static_cast<int>(threads);
}

std::uint64_t prime_from(const po::variables_map& vm) {
  return vm["prime"].as<std::string>() == "fast" ? fast_prime : parse_unsigned(vm, "prime");
}

std::uint64_t machine_memory_mib() {
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return 16384;  // unknown: the former fixed default
  const std::uint64_t mib = (static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size)) >> 20;
  return std::clamp<std::uint64_t>(mib, 1, std::uint64_t{1} << 30);
}

std::uint64_t max_memory_from(const po::variables_map& vm) {
  if (!vm.count("max-memory")) return machine_memory_mib() << 20;
  const std::uint64_t mib = parse_unsigned(vm, "max-memory");
  if (mib < 1 || mib > (std::uint64_t{1} << 30)) throw usage_error("--max-memory must be in [1, 2^30] MiB");
  return mib << 20;
}

namespace {

// An option's value, or `fallback` when the command does not take it (option_table.hpp: each
// command accepts only the options it uses).
std::string text_or(const po::variables_map& vm, const char* name, const std::string& fallback) {
  return vm.count(name) ? vm[name].as<std::string>() : fallback;
}

}  // namespace

namespace {

// Given explicitly on the command line (not merely its default).
bool given(const po::variables_map& vm, const char* name) { return vm.count(name) && !vm[name].defaulted(); }

// `--network FILE`: the file gives the architecture and the weights, so an option that would
// describe them too is refused (exit 64) rather than silently ignored or compared.
void read_network_option(const po::variables_map& vm, RankRequest& r) {
  for (const char* name : {"input", "templates", "layers", "sharing", "padding", "templates-matrix", "seed", "weight-bound"})
    if (given(vm, name))
      throw usage_error(std::string("--") + name + " cannot be given with --network: the file gives the architecture and the weights");
  r.network_file = vm["network"].as<std::string>();
  NetworkFile file = read_network_file(r.network_file);
  r.arch = file.arch;
  r.given_weights = std::move(file.weights);
}

}  // namespace

RankRequest rank_request_from(const po::variables_map& vm) {
  RankRequest r;
  if (vm.count("network")) {
    read_network_option(vm, r);
  } else {
    for (const char* name : {"input", "layers"})
      if (!vm.count(name)) throw usage_error(std::string("the option '--") + name + "' is required but missing");
  }
  NetworkSpelling spelling;
  spelling.input = text_or(vm, "input", spelling.input);
  spelling.templates = vm["templates"].as<std::string>();
  if (vm.count("layers")) spelling.layers = expand_layer_repetitions(vm["layers"].as<std::string>(), "--layers");
  spelling.sharing = vm["sharing"].as<std::string>();
  spelling.padding = vm["padding"].as<std::string>();
  spelling.partition = vm["partition"].as<std::string>();
  spelling.vary = text_or(vm, "vary", spelling.vary);
  spelling.fixed_templates = text_or(vm, "fixed-templates", spelling.fixed_templates);
  spelling.templates_matrix = text_or(vm, "templates-matrix", spelling.templates_matrix);
  if (r.given_weights) {  // only the partition and the strip come from the command line
    spelling.input = "1";
    spelling.layers = "1/1/1";
  }
  const NetworkSpec spec = parse_network_spelling(spelling, SpellingSource::command_line);
  if (!r.given_weights) r.arch = spec.arch;
  r.partition = spec.partition;
  r.vary = spec.vary;
  r.fixed_templates = spec.fixed_templates;
  r.representation = spec.representation;
  const std::string field = text_or(vm, "field", "gfp");
  if (field == "gfp")
    r.field = Field::gfp;
  else if (field == "Q" || field == "q")
    r.field = Field::rationals;
  else
    throw usage_error("--field: '" + field + "' is not one of gfp, Q");
  if (vm.count("prime")) {
    if (r.field != Field::gfp) throw usage_error("--prime applies to --field gfp only");
    r.prime = prime_from(vm);
  }
  if (vm.count("seed")) r.seed = parse_unsigned(vm, "seed");
  if (vm.count("weight-bound")) {
    const std::uint64_t bound = parse_unsigned(vm, "weight-bound");
    if (bound < 1 || bound > (std::uint64_t{1} << 31)) throw data_error("--weight-bound must be in [1, 2^31]");
    r.weight_bound = static_cast<std::int64_t>(bound);
  }
  r.execution = ExecutionContext(vm.count("threads") ? threads_from(vm) : 1, &ProgressDisplay::standard());
  r.max_memory_bytes = max_memory_from(vm);
  return r;
}

nlohmann::json architecture_json(const Architecture& arch, Representation representation) {
  nlohmann::json layers = nlohmann::json::array();
  for (const LayerSpec& l : arch.layers) {
    if (l.pooling)
      layers.push_back({{"kind", "pool"}, {"window", l.window}, {"stride", l.stride}});
    else
      layers.push_back({{"kind", "gc"}, {"window", l.window}, {"stride", l.stride}, {"channels", l.channels}});
  }
  return {{"dims", arch.dims},
          {"height", arch.height},
          {"width", arch.width},
          {"templates", arch.templates},
          {"layers", layers},
          {"sharing", to_string(arch.sharing)},
          {"padding", to_string(arch.padding)},
          {"templates_matrix", representation == Representation::random ? "random" : "identity"}};
}

po::variables_map parse_command_line(int argc, const char* const* argv, const po::options_description& options,
                                     const po::positional_options_description* positional) {
  // Words that are no option's value land in a hidden option, so that none is ignored.
  po::options_description all;
  all.add(options);
  po::positional_options_description stray;
  if (!positional) {
    all.add_options()("unexpected-word", po::value<std::vector<std::string>>());
    stray.add("unexpected-word", -1);
  }
  // Long options are never abbreviated (--inp is not --input): no guessing.
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional ? *positional : stray).style(style).run(),
              vm);
    if (vm.count("unexpected-word")) {
      const std::string word = vm["unexpected-word"].as<std::vector<std::string>>().front();
      const bool dash_lookalike = !word.empty() && static_cast<unsigned char>(word[0]) >= 0x80;
      throw usage_error("unexpected argument '" + word + "'" +
                        (dash_lookalike ? " (options start with two ASCII hyphens, --)" : ""));
    }
    if (vm.count("help")) return vm;
    po::notify(vm);
  } catch (const po::error& e) {
    throw usage_error(e.what());
  }
  return vm;
}

}  // namespace seprank::cli
