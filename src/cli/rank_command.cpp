#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include <optional>

#include "cli/network_options.hpp"
#include "cli/upper_bound_json.hpp"
#include "cli/vary_suggestion.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/rank/exact_rank.hpp"
#include "seprank/rank/rank_computation.hpp"
#include "seprank/analysis/rank_analysis.hpp"

namespace seprank::cli {

namespace {

std::string field_name(const RankRequest& r) {
  return r.field == Field::gfp ? "GF(" + std::to_string(r.prime) + ")" : "Q";
}

std::string index_list(const std::vector<int>& v) {
  std::ostringstream s;
  for (std::size_t i = 0; i < v.size(); ++i) s << (i ? "," : "") << v[i];
  return s.str();
}

std::string format_probability(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", p);
  return buf;
}

// Where the rank was computed: the back-end, and the primes (trials mod p, or the
// multi-modular primes over Q and the rule that made the rank exact).
nlohmann::json method_json(const RankRequest& request, const RankComputation& c, const std::vector<RankTrial>& trials) {
  nlohmann::json j;
  if (request.field == Field::gfp) {
    j["rank_backend"] = to_string(rank_backend_for(request.prime));
    nlohmann::json list = nlohmann::json::array();
    for (const RankTrial& t : trials)
      list.push_back({{"prime", t.prime}, {"seed", t.seed}, {"rank", t.rank}, {"miss_probability_bound", t.miss_probability}});
    j["trials"] = std::move(list);
  } else {
    std::string backends;  // of the primes in order, each named once
    for (std::uint64_t prime : c.primes) {
      const std::string name = to_string(rank_backend_for(prime));
      if (backends.find(name) != std::string::npos) continue;
      if (!backends.empty()) backends += ", ";
      backends += name;
    }
    j["rank_backend"] = backends;
    j["primes"] = c.primes;
    j["ranks_mod_primes"] = c.ranks_mod_primes;
    j["exact_by"] = c.exact_by;
  }
  return j;
}

nlohmann::json rank_json(const RankRequest& request, const RankComputation& c, const std::vector<RankTrial>& trials,
                         const UpperBound& u, bool timings) {
  nlohmann::json j;
  j["schema_version"] = 2;  // docs/schema/rank.schema.json
  j["seprank_version"] = SEPRANK_VERSION;
  j["command"] = "rank";
  j["rank"] = c.rank;
  j["rows"] = c.net.rows;
  j["cols"] = c.net.cols;
  j["field"] = request.field == Field::gfp ? "gfp" : "Q";
  if (request.field == Field::gfp)
    j["prime"] = request.prime;
  else
    j["weight_bound"] = request.weight_bound;
  j["seed"] = request.seed;
  j["architecture"] = architecture_json(request.arch, request.representation);
  const bool given = request.given_weights != nullptr;
  if (given) {  // the rank at the file's weights: no seed, no claim about generic weights
    j["seed"] = nullptr;
    if (request.field == Field::rationals) j["weight_bound"] = nullptr;
    j["weights"] = "file";
    j["network_file"] = request.network_file;
    j["architecture"]["templates_matrix"] = "file";
  }
  j["partition"] = c.net.partition.I;
  j["partition_spec"] = c.net.partition.spec;
  if (c.net.partition.is_submatrix())
    j["submatrix"] = {{"vary", c.net.partition.vary_spec},
                      {"vary_I", c.net.partition.vary_I},
                      {"vary_J", c.net.partition.vary_J},
                      {"fixed_templates", c.net.partition.fixed_templates}};
  j["index_order"] = "C";
  j["entry_degree"] = c.entry_degree;
  j["generic_rank_miss_probability_bound"] = given ? nlohmann::json(nullptr) : nlohmann::json(c.miss_probability);
  j.update(method_json(request, c, trials));
  if (given && j.contains("trials"))
    for (auto& t : j["trials"]) t["seed"] = nullptr, t["miss_probability_bound"] = nullptr;
  if (u.bound) {
    j["upper_bound"] = bound_value(*u.bound);
    j["upper_bound_limited_by"] = to_string(u.bound->limited_by);
  } else {
    j["upper_bound"] = nullptr;
    j["upper_bound_unavailable"] = u.unavailable;
  }
  // `settled` speaks of the generic rank; at given weights it is null (the rank may still
  // reach the min-cut, which bounds every weights: compare rank with upper_bound).
  j["settled"] = given ? nlohmann::json(nullptr) : nlohmann::json(settles(c.rank, u));
  if (timings) j["timings"] = {{"assembly_seconds", c.assembly_seconds}, {"rank_seconds", c.rank_seconds}};
  return j;
}

void print_table(const RankRequest& request, const RankComputation& c, const std::vector<RankTrial>& trials,
                 const UpperBound& u) {
  std::ostream& o = std::cout;
  const bool given = request.given_weights != nullptr;
  o << "architecture   " << describe(request.arch) << ", F "
    << (given ? "given" : request.representation == Representation::random ? "random" : "identity") << "\n"
    << "partition      " << c.net.partition.spec << "  I = {" << index_list(c.net.partition.I) << "}\n"
    << "matrix         " << c.net.rows << " x " << c.net.cols << "  (index order C)"
    << (c.net.partition.is_submatrix() ? "  submatrix: " + c.net.partition.vary_spec + " positions vary, " +
                                             std::to_string(c.net.partition.vary_I.size()) + " in I, " +
                                             std::to_string(c.net.partition.vary_J.size()) + " in J"
                                       : "")
    << "\n"
    << "field          " << field_name(request);
  if (request.field == Field::rationals && !given)
    o << "  (integer weights in [-" << request.weight_bound << ", " << request.weight_bound << "])";
  if (given) {
    // The rank of these weights only: nothing about generic weights (no P(miss), no "settled").
    o << "\nweights        " << request.network_file << " (given, not drawn)\n"
      << "rank           " << c.rank << "  (at these weights)\n"
      << "upper bound    " << (u.bound ? u.bound->bound + " (min-cut, all weights)" : "unavailable: " + u.unavailable)
      << (settles(c.rank, u) ? "  -> these weights reach it" : "") << "\n";
  } else {
  o << "\nseed           " << request.seed << "\n"
    << "rank           " << c.rank << "\n"
    << "upper bound    " << (u.bound ? u.bound->bound + " (min-cut, all weights)" : "unavailable: " + u.unavailable)
    << (settles(c.rank, u) ? "  -> generic rank settled exactly" : "") << "\n"
    << (settles(c.rank, u) ? std::string("P(miss)        0  (the rank reaches the upper bound)\n")
                      : "P(miss)        <= " + format_probability(c.miss_probability) +
                            "  (chance the generic rank is higher, Schwartz-Zippel)\n");
  }
  if (trials.size() > 1) {
    o << "trials         " << trials.size() << " (one prime's bound is weak):";
    for (const RankTrial& t : trials) o << " rank " << t.rank << " mod " << t.prime << " (seed " << t.seed << ");";
    o << " P(miss) is the product\n";
  }
  if (request.field == Field::rationals)
    o << "method         " << c.primes.size() << " prime(s), exact by the " << c.exact_by << " rule\n";
  char times[96];
  std::snprintf(times, sizeof times, "time           assembly %.3f s, rank %.3f s\n", c.assembly_seconds, c.rank_seconds);
  o << times;
}

}  // namespace

int rank_command(int argc, const char* const* argv) {
  const auto options = options_for("Rank options", joined(joined(network_option_names(), weight_option_names()),
                                                          {"network", "field", "prime", "weight-bound", "threads", "max-memory", "json", "timings", "help"}));
  const auto vm = parse_command_line(argc, argv, options);
  if (vm.count("help")) {
    std::cout << "usage: seprank rank --input N|HxW --layers R/S/C,... [options]\n"
                 "       seprank rank --network FILE [options]   (the rank at the file's weights)\n"
              << options;
    return 0;
  }
  const RankRequest request = rank_request_from(vm);
  // Mod p: further primes and seeds when one prime's bound is weak (RetryRule::confidence);
  // the reported rank is the best, each a certified lower bound. Without --prime, large
  // matrices start at BLAS speed (AnalysisPolicy::fast_primes_first).
  AnalysisPolicy policy;
  policy.fast_primes_first = !vm.count("prime");
  if (request.given_weights) {
    // Given weights: one computation at --prime (default 2^62 - 57). Further primes and seeds
    // would rank other residues or other weights, and there is no P(miss) to bring down.
    policy.fast_primes_first = false;
    policy.max_trials = 1;
  }
  RankAnalysis a;
  try {
    a = analyse_rank(request, policy);
  } catch (const Error& e) {
    throw with_vary_suggestion(e, request);  // too large: a strip that fits, if one does
  }
  RankRequest shown = request;  // `prime` is the first trial's, as the user would pass it
  if (!a.trials.empty()) shown.prime = a.trials.front().prime;
  RankComputation& c = *a.best;
  c.miss_probability = a.miss_probability;
  const std::vector<RankTrial>& trials = a.trials;
  const UpperBound& u = a.upper;
  if (vm.count("json"))
    std::cout << rank_json(shown, c, trials, u, vm.count("timings") > 0).dump(2) << "\n";
  else
    print_table(shown, c, trials, u);
  return 0;
}

}  // namespace seprank::cli
