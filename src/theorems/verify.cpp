#include "seprank/theorems/verify.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "seprank/analysis/rank_analysis.hpp"
#include "seprank/bounds/cut_witness.hpp"
#include "seprank/evidence/certificate.hpp"
#include "seprank/evidence/checked_certificate.hpp"
#include "seprank/evidence/format_limits.hpp"
#include "seprank/evidence/independent_check.hpp"
#include "seprank/evidence/structured_certificate.hpp"
#include "seprank/support/atomic_file.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/comparison/float_compare.hpp"
#include "seprank/model/network_spec.hpp"
#include "seprank/bounds/min_cut_bound.hpp"
#include "seprank/rank/rank_computation.hpp"

namespace seprank {

namespace {

// The request for one claim on one instance: every template substituted, then parsed with
// the same parsers as the command line.
RankRequest request_for(const ClaimSpec& c, const Parameters& p, const VerifyOptions& options) {
  NetworkSpelling spelling;
  spelling.input = substitute(c.input, p, c.where);
  const Rational m = Expression::parse(c.templates, c.where).evaluate_number(p);
  if (!m.is_integer()) throw data_error(c.where + ": templates = " + m.to_string() + " is not an integer");
  spelling.templates = m.to_string();
  spelling.layers = substitute(c.layers, p, c.where);
  spelling.sharing = substitute(c.sharing, p, c.where);
  spelling.padding = substitute(c.padding, p, c.where);
  spelling.partition = substitute(c.partition, p, c.where);
  spelling.vary = substitute(c.vary, p, c.where);
  spelling.fixed_templates = substitute(c.fixed_templates, p, c.where);
  spelling.templates_matrix = substitute(c.templates_matrix, p, c.where);
  const NetworkSpec spec = parse_network_spelling(spelling, SpellingSource::theorem_file);
  RankRequest r;
  r.arch = spec.arch;
  r.partition = spec.partition;
  r.vary = spec.vary;
  r.fixed_templates = spec.fixed_templates;
  r.representation = spec.representation;
  r.execution = options.execution;
  r.max_memory_bytes = options.max_memory_bytes;
  r.certificate = true;  // every rank >= 1 gets a certificate, checked in-process (memory: a working copy)
  r.prime = options.prime;
  return r;
}

// log2 of the chance that a true lower bound `lower` is missed by every one of the independent
// trials: a lower×lower minor is a nonzero polynomial of degree <= lower·D (Schwartz–Zippel),
// so a trial mod p misses with P <= min(1, lower·D/p).
double log2_miss_all(const Rational& lower, double degree, const std::vector<RankTrial>& trials) {
  // bits() over-estimates log2 of a large bound, which only makes the probability larger.
  const double log2_lower = lower.fits_int64() ? std::log2(static_cast<double>(lower.to_int64()))
                                               : static_cast<double>(lower.bits());
  double sum = 0;
  for (const RankTrial& t : trials)
    sum += std::min(0.0, log2_lower + std::log2(degree) - std::log2(static_cast<double>(t.prime)));
  return sum;
}

std::string format_log2_probability(double log2_p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "<= 2^%.1f", log2_p);
  return buf;
}

void write_certificate(const nlohmann::ordered_json& certificate, const VerifyOptions& options, const std::string& name,
                       ClaimResult& out) {
  create_output_directory(*options.certificates_dir);
  const std::string path = (std::filesystem::path(*options.certificates_dir) / (name + ".json")).string();
  write_file_atomically(path, certificate_text(certificate), options.force);
  out.note += (out.note.empty() ? "" : "; ") + std::string("certificate ") + path;
}

// The claimed bounds' values on an instance (a lower bound's ceiling, an upper bound's floor);
// bounds may use the partition's sizes as well as the instance's parameters.
std::pair<std::optional<Rational>, std::optional<Rational>> claimed_bounds(const ClaimSpec& c, const Parameters& p,
                                                                           const Partition& partition) {
  Parameters with_sizes = p;
  with_sizes["size_I"] = Rational(static_cast<std::int64_t>(partition.I.size()));
  with_sizes["size_J"] = Rational(static_cast<std::int64_t>(partition.J.size()));
  std::optional<Rational> lower, upper;
  if (c.lower) lower = c.lower->evaluate_number(with_sizes).ceil();
  if (c.upper) upper = c.upper->evaluate_number(with_sizes).floor();
  return {lower, upper};
}

// What backs a claim's numbers on one instance: the min-cut, and the certified rank with its
// certificate (verified in-process before it is returned), from either kind of evidence.
struct RankEvidence {
  UpperBound upper;
  std::optional<std::int64_t> rank;     // none: too large to assemble
  std::uint64_t seed = 0;               // of the certified rank's weights
  std::uint64_t prime = 0;              // the certified rank's prime
  int tries = 0;
  std::vector<RankTrial> trials;        // dense path: every trial, for the chance of a miss
  nlohmann::ordered_json certificate;   // null when rank is none or 0
  std::string too_large;
  std::optional<RankComputation> dense;  // the dense computation, for its degree and the float comparison
};

// The dense path: the tries a lower claim is allowed (new seeds, the same prime, after a first
// try mod 2^23 - 15 with options.fast_primes_first) until the rank reaches it; rank <= min-cut is
// checked on every try (D1).
RankEvidence dense_evidence(const RankRequest& claim_request, const std::optional<Rational>& lower,
                            const VerifyOptions& options, const std::string& where) {
  RankRequest request = claim_request;
  AnalysisPolicy policy;
  policy.rule = RetryRule::reach;
  policy.retries = lower ? options.retries : 0;
  if (lower) policy.reach = lower->fits_int64() ? lower->to_int64() : INT64_MAX;
  policy.too_large_is_result = true;
  policy.where = where + ": ";
  policy.fast_primes_first = options.fast_primes_first;
  request.seed = options.seed;
  RankAnalysis analysis = analyse_rank(request, policy);
  RankEvidence e;
  e.upper = std::move(analysis.upper);
  e.too_large = std::move(analysis.too_large);
  e.tries = static_cast<int>(analysis.trials.size());
  e.trials = analysis.trials;
  if (analysis.best) {
    e.rank = analysis.best->rank;
    e.seed = analysis.best_seed;
    for (const RankTrial& t : analysis.trials)
      if (t.seed == e.seed) e.prime = t.prime;
    request.prime = e.prime;
    if (*e.rank >= 1) e.certificate = checked_certificate(*analysis.best, request, e.seed, where);
    e.dense = std::move(analysis.best);
  }
  return e;
}

// The structured path (claim key evidence = "structured"): the links construction's weights,
// drawn once from the run's seed; its certificate is verified by the checker's code as it is
// made. The rank is the product of the groups' ranks, beyond any dense minor.
RankEvidence structured_evidence(const RankRequest& claim_request, const Partition& partition,
                                 const VerifyOptions& options, const std::string& where) {
  RankRequest request = claim_request;
  request.seed = options.seed;
  RankEvidence e;
  e.upper = upper_bound_of(request.arch, partition);
  const StructuredCertificate s = find_structured_certificate(request);
  e.rank = static_cast<std::int64_t>(s.rank);
  require_rank_within_bound(*e.rank, e.upper, where + ": ");
  e.seed = options.seed;
  e.prime = request.prime;
  e.tries = 1;
  e.certificate = nlohmann::ordered_json::parse(s.text);
  return e;
}

ClaimResult check_claim(const TheoremFile& t, std::size_t claim_index, const Instance& instance,
                        std::size_t instance_index, const VerifyOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const ClaimSpec& c = t.claims[claim_index];
  const Parameters& p = instance.parameters;
  ClaimResult out;
  for (const Hypothesis& h : c.hypotheses)
    if (!h.expression.evaluate_bool(p)) {
      out.status = Status::not_applicable;
      out.note = "hypothesis false: " + h.text;
      return out;
    }
  RankRequest request = request_for(c, p, options);
  out.architecture = describe(request.arch) + ", " + request.partition;
  resolve_geometry(request.arch);  // first: the partition walks positions it has not checked
  const Partition partition = make_partition(request.partition, request.arch);
  const auto [lower, upper] = claimed_bounds(c, p, partition);
  if (lower) out.claimed_lower = lower->to_string();
  if (upper) out.claimed_upper = upper->to_string();
  out.network = architecture_without_weights_json(request.arch, true);
  out.partition = {{"I", partition.I}, {"spec", canonical_partition_spec(partition.spec, partition.I)}};
  if (is_trivial_claim(lower, upper)) {  // decided from the claim alone: no rank, no min-cut, no evidence
    out.status = decide_verdict(lower, upper, std::nullopt, std::nullopt).status;
    out.note = "lower bound <= 1 and no upper bound: nothing to prove";
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
  }
  const std::string where = t.path + ": " + out.architecture;
  const RankEvidence evidence = c.evidence == ClaimEvidence::structured
                                    ? structured_evidence(request, partition, options, where)
                                    : dense_evidence(request, lower, options, where);
  std::optional<Rational> cut;
  if (evidence.upper.bound) {
    out.min_cut = evidence.upper.bound->bound;
    cut = Rational::from_decimal(out.min_cut);
    out.cut_witness = cut_witness_json(request.arch, partition, *evidence.upper.bound);
  } else {
    out.note = "no min-cut: " + evidence.upper.unavailable;
  }
  if (!evidence.too_large.empty())
    out.note += (out.note.empty() ? "" : "; ") + std::string("too large to assemble: ") + evidence.too_large;
  const std::optional<std::int64_t> rank = evidence.rank;
  out.tries = evidence.tries;
  out.certified_lower = rank;
  out.seed = evidence.seed;
  out.prime = evidence.prime;
  out.certificate = evidence.certificate;
  if (evidence.dense && options.compare_float) {
    RankRequest float_request = request;
    float_request.seed = out.seed;
    const FloatComparison f = compare_float_with_exact(float_request, RealWeightDistribution::uniform);
    out.float_rank = f.numerical ? std::to_string(f.numerical->rank) : "fails";
    out.float_verdict = to_string(f.verdict);
  }

  // The verdict (a pure function, verdict.hpp), then its notes and the certificates it writes.
  const ClaimVerdict verdict = decide_verdict(lower, upper, cut, rank);
  std::vector<std::string> notes;
  for (const VerdictReason reason : verdict.reasons) {
    switch (reason) {
      case VerdictReason::cut_below_lower:
        notes.push_back("min-cut " + out.min_cut + " < claimed lower bound: no weights reach it");
        break;
      case VerdictReason::rank_below_lower:
        if (evidence.dense)
          notes.push_back("rank below the claim in " + std::to_string(out.tries) + " tries; a true claim fails so with P " +
                          format_log2_probability(log2_miss_all(*lower, evidence.dense->entry_degree, evidence.trials)));
        else
          notes.push_back("the structured certificate proves rank >= " + std::to_string(*rank) +
                          ", below the claim (the links construction's weights are one choice, not a draw)");
        break;
      case VerdictReason::rank_above_upper:
        notes.push_back("certified rank " + std::to_string(*rank) + " > claimed upper bound");
        break;
      case VerdictReason::cut_above_upper:
        notes.push_back("min-cut above the claim; exact rank within it");
        break;
    }
  }
  const std::string instance_name = "-instance" + std::to_string(instance_index + 1);
  if (options.certificates_dir && verdict.certifies_lower)
    write_certificate(out.certificate, options, t.id + "-claim" + std::to_string(claim_index + 1) + instance_name, out);
  if (options.certificates_dir && verdict.counterexample_to_upper)
    write_certificate(out.certificate, options,
                      t.id + "-counterexample-claim" + std::to_string(claim_index + 1) + instance_name, out);
  out.status = verdict.status;
  const bool rests_on_certificate = verdict.rests_on_certificate, rests_on_witness = verdict.rests_on_witness;
  for (const std::string& n : notes) out.note += (out.note.empty() ? "" : "; ") + n;
  // The certificate was verified when it was made (checked_certificate); the witness is
  // verified here. A rank of 0 needs no certificate (rank >= 0 is trivial).
  if (rests_on_witness) require_cut_witness_verified(out.cut_witness.dump(), out.min_cut, where);
  out.evidence_checked = (out.status == Status::proven || out.status == Status::refuted) &&
                         (!rests_on_certificate || !out.certificate.is_null() || rank == 0);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace

namespace {

// Calls visit(claim index, instance) for every claim each instance of `t` checks, in order
// (extended instances too with options.extended). An error of the instance's network is
// named by file, claim and instance: a network a family makes invalid is a data error, as on
// the command line (network_spec.hpp); a network beyond the hard or format limits stays a
// resource error.
template <typename Visit>
void for_each_claim(const TheoremFile& t, const VerifyOptions& options, Visit&& visit) {
  std::vector<Instance> instances = t.instances;
  if (options.extended) instances.insert(instances.end(), t.extended.begin(), t.extended.end());
  for (std::size_t i = 0; i < instances.size(); ++i)
    for (std::size_t c = 0; c < t.claims.size(); ++c) {
      const auto& only = instances[i].only_claims;
      if (!only.empty() && std::find(only.begin(), only.end(), t.claims[c].name) == only.end()) continue;
      try {
        visit(c, i, instances[i]);
      } catch (const Error& e) {
        if (e.code() != exit_data && e.code() != exit_usage && e.code() != exit_resource) throw;
        std::string message = e.what();
        const std::string where = t.claims[c].where + ": ";
        if (message.rfind(where, 0) == 0) message.erase(0, where.size());
        throw Error(e.code() == exit_resource ? exit_resource : exit_data,
                    where + "instance " + describe(instances[i].parameters) + ": " + message);
      }
    }
}

}  // namespace

void require_evidence_format_limits(const TheoremFile& t, const VerifyOptions& options) {
  for_each_claim(t, options, [&](std::size_t c, std::size_t, const Instance& instance) {
    const ClaimSpec& claim = t.claims[c];
    for (const Hypothesis& h : claim.hypotheses)
      if (!h.expression.evaluate_bool(instance.parameters)) return;  // N/A: no evidence
    const RankRequest request = request_for(claim, instance.parameters, options);
    resolve_geometry(request.arch);
    const auto [lower, upper] = claimed_bounds(claim, instance.parameters, make_partition(request.partition, request.arch));
    if (is_trivial_claim(lower, upper)) {  // TRIVIAL: no evidence, but a bundle records the network
      require_witness_format_limits(request.arch);
      return;
    }
    // Every verdict may rest on a certificate and a cut witness.
    require_certificate_format_limits(request.arch);
    require_witness_format_limits(request.arch);
    // A structured certificate has no dense minor: its own limits are the checker's, applied
    // when it is made.
    if (claim.evidence == ClaimEvidence::structured) return;
    PreparedNetwork shape;
    try {
      shape = prepare_network_shape(request);
    } catch (const Error& e) {
      if (e.code() != exit_resource) throw;
      return;  // too large to assemble: the run reports it SKIPPED, with no certificate
    }
    if (std::min(shape.rows, shape.cols) <= max_rank.value) return;
    require_certifiable_rank(shape.rows, shape.cols, upper_bound_of(request.arch, shape.partition).value());
  });
}

std::vector<std::size_t> checked_instance_positions(const TheoremFile& t, const VerifyOptions& options) {
  std::vector<std::size_t> positions;
  for_each_claim(t, options, [&](std::size_t, std::size_t i, const Instance&) {
    if (positions.empty() || positions.back() != i) positions.push_back(i);
  });
  return positions;
}

TheoremResult verify_theorem(const TheoremFile& t, const VerifyOptions& options,
                             const std::function<bool(std::size_t)>& selected) {
  TheoremResult result;
  result.path = t.path;
  result.id = t.id;
  result.title = t.title;
  for (const ClaimSpec& c : t.claims) result.claim_names.push_back(c.name);
  std::size_t current = static_cast<std::size_t>(-1), ordinal = static_cast<std::size_t>(-1);
  bool taken = false;
  for_each_claim(t, options, [&](std::size_t c, std::size_t i, const Instance& instance) {
    if (i != current) {
      current = i;
      ++ordinal;  // from -1: the first checked instance is 0
      taken = !selected || selected(ordinal);
      if (!taken) return;
      InstanceResult ir;
      ir.ordinal = ordinal;
      ir.parameters = describe(instance.parameters);
      ir.values = instance.parameters;
      result.instances.push_back(std::move(ir));
    }
    if (!taken) return;
    InstanceResult& ir = result.instances.back();
    ir.claim_indices.push_back(c);
    ir.claims.push_back(check_claim(t, c, instance, i, options));
  });
  return result;
}

}  // namespace seprank
