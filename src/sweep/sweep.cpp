#include "seprank/sweep/sweep.hpp"

#include <algorithm>

#include <flint/fmpz.h>

#include "seprank/analysis/rank_analysis.hpp"
#include "seprank/bounds/cut_witness.hpp"
#include "seprank/evidence/checked_certificate.hpp"
#include "seprank/evidence/format_limits.hpp"
#include "seprank/evidence/independent_check.hpp"
#include "seprank/model/network_spec.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/sweep/sub_selection.hpp"

namespace seprank {

namespace {

// base^exponent exactly, in decimal.
std::string decimal_power(std::uint64_t base, std::size_t exponent) {
  fmpz_t p;
  fmpz_init_set_ui(p, base);
  fmpz_pow_ui(p, p, exponent);
  char* text = fmpz_get_str(nullptr, 10, p);
  std::string out(text);
  flint_free(text);
  fmpz_clear(p);
  return out;
}

}  // namespace

std::string sweep_fingerprint(const Family& family, const SweepOptions& options) {
  return std::string("seprank ") + SEPRANK_VERSION + "; family " + family.name + " sha256:" + family.sha256 +
         "; prime " + std::to_string(options.prime) + " then " + std::to_string(options.confirm_prime) + "; seed " +
         std::to_string(options.seed);
}

nlohmann::ordered_json sweep_member(const FamilyMember& member, const SweepOptions& options,
                                    const ExecutionContext& execution) {
  const std::string where = "sweep: " + member.options();
  NetworkSpelling spelling;
  spelling.input = member.input;
  spelling.templates = std::to_string(member.templates);
  spelling.layers = member.layers;
  spelling.sharing = member.sharing;
  spelling.padding = member.padding;
  spelling.partition = member.partition;
  const NetworkSpec spec = parse_network_spelling(spelling, SpellingSource::command_line);
  resolve_geometry(spec.arch);  // first: the partition walks positions it has not checked
  require_certificate_format_limits(spec.arch);
  require_witness_format_limits(spec.arch);
  const Partition partition = make_partition(member.partition, spec.arch);
  const SubSelection selection = sub_selection(spec.arch, partition, options.max_matrix_side);

  RankRequest request;
  request.arch = spec.arch;
  request.partition = member.partition;
  request.vary = selection.vary;
  request.fixed_templates = "0";
  request.prime = options.prime;
  request.seed = options.seed;
  request.execution = execution;
  request.max_memory_bytes = options.max_memory_bytes;
  request.certificate = true;
  // As verify: one draw (the prime makes a miss negligible), the min-cut, rank <= min-cut
  // checked (D1); a matrix beyond the memory limit is a row without a rank.
  AnalysisPolicy policy;
  policy.rule = RetryRule::reach;
  policy.retries = 0;
  policy.too_large_is_result = true;
  policy.where = where + ": ";
  RankAnalysis analysis = analyse_rank(request, policy);
  nlohmann::ordered_json trials = nlohmann::ordered_json::array();
  if (analysis.best) trials.push_back({{"prime", request.prime}, {"rank", analysis.best->rank}});
  const bool below_ceiling = analysis.best && !analysis.settled() &&
                             static_cast<std::uint64_t>(analysis.best->rank) < std::min(selection.rows, selection.cols);
  if (below_ceiling && options.confirm_prime != options.prime) {
    RankRequest again = request;
    again.prime = options.confirm_prime;
    RankAnalysis second = analyse_rank(again, policy);
    if (second.best) trials.push_back({{"prime", again.prime}, {"rank", second.best->rank}});
    if (second.best && second.best->rank > analysis.best->rank) {
      analysis = std::move(second);
      request = again;
    }
  }
  if (analysis.best && analysis.best->rank >= 1) checked_certificate(*analysis.best, request, options.seed, where);
  if (analysis.upper.bound)
    require_cut_witness_verified(cut_witness_json(spec.arch, partition, *analysis.upper.bound).dump(),
                                 analysis.upper.bound->bound, where);

  std::string rank_command = "seprank rank " + member.options();
  if (!selection.whole()) rank_command += " --vary " + selection.vary + " --fixed-templates 0";
  rank_command += " --prime " + std::to_string(request.prime) + " --seed " + std::to_string(options.seed);

  nlohmann::ordered_json j;
  j["group"] = member.group;
  j["spec"] = member.options();
  j["input"] = member.input;
  j["dims"] = spec.arch.dims;
  j["templates"] = member.templates;
  j["depth"] = member.depth;
  j["layers"] = member.layers;
  j["sharing"] = member.sharing;
  j["padding"] = member.padding;
  j["partition"] = member.partition;
  j["partition_I"] = partition.I;
  // M^|I| x M^|J| has no size limit: exact decimal strings (docs/schema/README.md).
  j["rows"] = decimal_power(member.templates, partition.I.size());
  j["cols"] = decimal_power(member.templates, partition.J.size());
  j["certified_on"] = selection.whole() ? "full matricization" : "sub-selection";
  j["vary"] = selection.vary;
  j["assembled_rows"] = selection.rows;
  j["assembled_cols"] = selection.cols;
  j["certified_rank"] = analysis.best ? nlohmann::ordered_json(analysis.best->rank) : nlohmann::ordered_json();
  if (analysis.upper.bound) {
    const MinCutBound& b = *analysis.upper.bound;
    j["min_cut"] = b.bound;
    j["min_cut_limited_by"] = to_string(b.limited_by);
  } else {
    j["min_cut"] = nullptr;
    j["min_cut_limited_by"] = nullptr;
  }
  j["settled"] = analysis.settled();
  // The rank is the assembled matrix's size: only a larger selection could show more.
  j["fills_assembled_matrix"] =
      analysis.best && static_cast<std::uint64_t>(analysis.best->rank) == std::min(selection.rows, selection.cols);
  j["prime"] = request.prime;  // of the certified rank
  j["trials"] = std::move(trials);
  j["evidence_checked"] = true;  // both verified above, or this line would not exist
  j["note"] = !analysis.too_large.empty() ? "too large to assemble: " + analysis.too_large
              : !analysis.upper.bound     ? "no min-cut: " + analysis.upper.unavailable
                                          : "";
  j["rank_command"] = rank_command;
  return j;
}

}  // namespace seprank
