// `seprank compare`: floating point against exact arithmetic on the same network
// (docs/float-comparison.md).
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/network_options.hpp"
#include "cli/upper_bound_json.hpp"
#include "cli/vary_suggestion.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/comparison/float_compare.hpp"

namespace po = boost::program_options;

namespace seprank::cli {

namespace {

RealWeightDistribution parse_distribution(const std::string& text) {
  if (text == "uniform") return RealWeightDistribution::uniform;
  if (text == "gaussian") return RealWeightDistribution::gaussian;
  throw usage_error("--weights: '" + text + "' is not one of uniform, gaussian");
}

std::string distribution_description(RealWeightDistribution d) {
  return d == RealWeightDistribution::uniform ? "uniform in [-1, 1)" : "gaussian N(0, 1) (Box-Muller)";
}

std::string number(double v) {
  if (std::isinf(v)) return "inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3e", v);
  return buf;
}

std::string index_list(const std::vector<int>& v) {
  std::ostringstream s;
  for (std::size_t i = 0; i < v.size(); ++i) s << (i ? "," : "") << v[i];
  return s.str();
}

// What the mod-p rank says about the rank over Q of the rational network.
std::string exact_rank_meaning(const FloatComparison& c) {
  const std::string r = std::to_string(c.exact_rank_mod_p);
  if (c.exact_rank_settled) return "rank over Q = " + r + " (the mod-p rank equals the min-cut upper bound)";
  return r + " <= rank over Q <= " + (c.upper_bound ? c.upper_bound->bound : std::string("(no upper bound)")) +
         " (higher than " + r + " only if p divides every " + std::to_string(c.exact_rank_mod_p + 1) +
         "x" + std::to_string(c.exact_rank_mod_p + 1) + " minor)";
}

std::string verdict_line(const FloatComparison& c) {
  std::string line = to_string(c.verdict);
  if (c.verdict == FloatVerdict::float_fails)
    return line + (c.overflow_entries > 0 ? "  (entries are inf or NaN: numpy's matrix_rank would raise)"
                                          : "  (dgesdd did not converge: numpy's matrix_rank would raise)");
  const std::string f = std::to_string(c.numerical->rank), e = std::to_string(c.exact_rank_mod_p);
  switch (c.verdict) {
    case FloatVerdict::float_underestimates:
      return line + "  (float " + f + " < " + e + " <= rank over Q: certified)";
    case FloatVerdict::float_overestimates:
      return line + "  (float " + f + " > " + e + (c.verdict_certified ? " = rank over Q: certified)" :
                                                   " = mod-p rank; rank over Q not settled)");
    default:
      return line + (c.verdict_certified ? "  (certified: the rank over Q is " + e + ")"
                                         : "  (with the mod-p rank; rank over Q not settled)");
  }
}

nlohmann::json optional_number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json compare_json(const RankRequest& request, const FloatComparison& c) {
  nlohmann::json j;
  j["schema_version"] = 2;  // docs/schema/compare.schema.json
  j["seprank_version"] = SEPRANK_VERSION;
  j["command"] = "compare";
  j["verdict"] = to_string(c.verdict);
  j["verdict_certified"] = c.verdict_certified;
  j["float_rank"] = c.numerical ? nlohmann::json(c.numerical->rank) : nlohmann::json(nullptr);
  j["exact_rank_mod_p"] = c.exact_rank_mod_p;
  j["prime"] = request.prime;
  if (c.upper_bound) {
    j["upper_bound"] = bound_value(*c.upper_bound);
    j["upper_bound_limited_by"] = to_string(c.upper_bound->limited_by);
  } else {
    j["upper_bound"] = nullptr;
    j["upper_bound_unavailable"] = c.upper_bound_unavailable;
  }
  j["exact_rank_settled"] = c.exact_rank_settled;
  j["exact_rank_meaning"] = exact_rank_meaning(c);
  j["rows"] = c.net.rows;
  j["cols"] = c.net.cols;
  j["overflow_count"] = c.overflow_entries;
  j["underflow_count"] = c.underflow_entries;
  if (c.numerical) {
    const NumericalRank& n = *c.numerical;
    j["tolerance"] = n.tolerance;
    nlohmann::json ranks = nlohmann::json::array();
    ranks.push_back({{"name", "numpy"}, {"tolerance", n.tolerance}, {"rank", n.rank}});
    for (const ToleranceRank& t : n.other_tolerances)
      ranks.push_back({{"name", t.name}, {"tolerance", t.tolerance}, {"rank", t.rank}});
    j["ranks_at_tolerances"] = ranks;
    j["sigma_max"] = n.sigma_max;
    j["sigma_min"] = n.sigma_min;
    j["largest_gap"] = n.largest_gap ? nlohmann::json{{"after", n.largest_gap->after},
                                                      {"ratio", optional_number(n.largest_gap->ratio)}}
                                     : nlohmann::json(nullptr);
    j["singular_values"] = n.singular_values;
    j["lapack"] = lapack_library();
  } else {
    for (const char* key : {"tolerance", "ranks_at_tolerances", "sigma_max", "sigma_min", "largest_gap"})
      j[key] = nullptr;
    j["singular_values"] = nlohmann::json::array();
    j["lapack"] = nullptr;
  }
  j["seed"] = request.seed;
  j["weights"] = to_string(c.distribution);
  j["architecture"] = architecture_json(request.arch, request.representation);
  j["partition"] = c.net.partition.I;
  j["partition_spec"] = c.net.partition.spec;
  if (c.net.partition.is_submatrix())  // both ranks are then of the same submatrix
    j["submatrix"] = {{"vary", c.net.partition.vary_spec},
                      {"vary_I", c.net.partition.vary_I},
                      {"vary_J", c.net.partition.vary_J},
                      {"fixed_templates", c.net.partition.fixed_templates}};
  j["index_order"] = "C";
  return j;
}

void print_table(const RankRequest& request, const FloatComparison& c) {
  std::ostream& o = std::cout;
  o << "architecture   " << describe(request.arch) << ", F "
    << (request.representation == Representation::random ? "random" : "identity") << "\n"
    << "partition      " << c.net.partition.spec << "  I = {" << index_list(c.net.partition.I) << "}\n"
    << "matrix         " << c.net.rows << " x " << c.net.cols << "  (index order C)"
    << (c.net.partition.is_submatrix() ? "  submatrix: " + c.net.partition.vary_spec + " positions vary" : "")
    << "\n"
    << "weights        " << distribution_description(c.distribution) << " as doubles, seed " << request.seed << "\n"
    << "entries        " << c.overflow_entries << " inf/NaN (overflow), " << c.underflow_entries
    << " zero or subnormal but exactly nonzero (underflow)\n";
  if (c.numerical) {
    const NumericalRank& n = *c.numerical;
    o << "float rank     " << n.rank << "  (numpy matrix_rank: sigma > sigma_max*max(m,n)*eps = " << number(n.tolerance)
      << ")\n"
      << "other tols    ";
    for (const ToleranceRank& t : n.other_tolerances) o << " " << t.name << ": " << t.rank << ";";
    o << "\nsigma          max " << number(n.sigma_max) << ", min " << number(n.sigma_min);
    if (n.largest_gap)
      o << ", largest gap sigma_" << n.largest_gap->after << "/sigma_" << n.largest_gap->after + 1 << " = "
        << number(n.largest_gap->ratio);
    o << "\nlapack         dgesdd from " << lapack_library() << "\n";
  } else {
    o << "float rank     none\n";
  }
  o << "exact rank     " << c.exact_rank_mod_p << "  (same weights read exactly as rationals, mod p = " << request.prime
    << ")\n"
    << "upper bound    "
    << (c.upper_bound ? c.upper_bound->bound + "  (min-cut, all weights)" : "unavailable: " + c.upper_bound_unavailable)
    << "\n"
    << "meaning        " << exact_rank_meaning(c) << "\n"
    << "verdict        " << verdict_line(c) << "\n";
}

}  // namespace

int compare_command(int argc, const char* const* argv) {
  const auto options = options_for("Compare options", joined(joined(network_option_names(), weight_option_names()),
                                                             {"weights", "prime", "threads", "max-memory", "json", "help"}));
  const auto vm = parse_command_line(argc, argv, options);
  if (vm.count("help")) {
    std::cout << "usage: seprank compare <rank options> [--weights uniform|gaussian] [--json]\n"
                 "Draws real weights as doubles, ranks the double-precision matricization as numpy does\n"
                 "(LAPACK dgesdd, tolerance sigma_max*max(m,n)*eps) and the same weights, read exactly as\n"
                 "rationals, modulo p; prints both, the min-cut upper bound and a verdict\n"
                 "(docs/float-comparison.md).\n"
              << options;
    return 0;
  }
  const RankRequest request = rank_request_from(vm);
  if (request.field != Field::gfp) throw usage_error("compare: --field must be gfp (the exact side is ranked mod p)");
  const RealWeightDistribution distribution = parse_distribution(vm["weights"].as<std::string>());
  FloatComparison c;
  try {
    c = compare_float_with_exact(request, distribution);
  } catch (const Error& e) {
    throw with_vary_suggestion(e, request);  // too large: a strip that fits, if one does
  }
  if (vm.count("json"))
    std::cout << compare_json(request, c).dump(2) << "\n";
  else
    print_table(request, c);
  return 0;
}

}  // namespace seprank::cli
