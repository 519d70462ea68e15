#include <filesystem>
#include <algorithm>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/network_options.hpp"
#include "cli/output_file.hpp"
#include "cli/vary_suggestion.hpp"
#include "seprank/analysis/rank_analysis.hpp"
#include "seprank/evidence/certificate.hpp"
#include "seprank/evidence/structured_certificate.hpp"
#include "seprank/support/atomic_file.hpp"
#include "seprank/support/errors.hpp"

namespace po = boost::program_options;

namespace seprank::cli {


namespace {

int write_structured(const RankRequest& request, const std::string& path, bool force, bool json) {
  const StructuredCertificate s = find_structured_certificate(request);
  write_output(path, s.text, force);
  const bool to_stdout = is_standard_output(path);
  if (json) {
    std::cout << nlohmann::json{{"schema_version", 2},  // docs/schema/certify.schema.json
                                {"seprank_version", SEPRANK_VERSION},
                                {"command", "certify"},
                                {"kind", "structured"},
                                {"rank", s.rank},
                                {"prime", s.prime},
                                {"groups", s.groups},
                                {"offsets", {s.offsets[0], s.offsets[1]}},
                                {"candidates", s.candidates},
                                {"file", path}}
                     .dump(2)
              << "\n";
    return 0;
  }
  std::ostream& o = to_stdout ? std::cerr : std::cout;
  const std::string shown = to_stdout ? "FILE" : path;
  o << "wrote " << (to_stdout ? "standard output" : path) << ": claim rank >= " << s.rank << " over GF(" << s.prime
    << "), a structured certificate: " << s.groups << " groups, links at first-layer offsets " << s.offsets[0]
    << " and " << s.offsets[1] << " (best of " << s.candidates << " pairs)\n"
    << "check it with: seprank-check " << shown << "  or  python3 checker/check_certificate.py " << shown << "\n";
  return 0;
}

}  // namespace

int certify_command(int argc, const char* const* argv) {
  const auto options = options_for("Certify options", joined(joined(network_option_names(), weight_option_names()),
                                                             {"network", "field", "prime", "weight-bound", "threads", "max-memory", "output", "force", "structured", "json", "help"}));
  const auto vm = parse_command_line(argc, argv, options);
  if (vm.count("help")) {
    std::cout << "usage: seprank certify <rank options> -o FILE [--force]\n"
                 "Writes a certificate (docs/certificate-format.md) that rank >= r over GF(p);\n"
                 "with --field Q the integer weights are reduced mod p first. With --network the\n"
                 "weights are the file's (with --field Q each group is first scaled to integers).\n"
                 "FILE is written whole\n"
                 "(a kill leaves the previous file or the new one: docs/output-files.md).\n"
                 "-o - writes the certificate to standard output and the summary to stderr (not with\n"
                 "--json); a file named - is ./-.\n"
                 "--structured writes a structured certificate instead (docs/structured-certificate.md):\n"
                 "particular weights under which the network splits into small groups of positions,\n"
                 "rank >= the product of the groups' ranks, with no matrix assembled.\n"
              << options;
    return 0;
  }
  if (!vm.count("output")) throw usage_error("the option '--output' is required but missing");
  RankRequest request = rank_request_from(vm);
  request.certificate = true;
  const std::string path = vm["output"].as<std::string>();
  const bool to_stdout = is_standard_output(path);
  if (to_stdout && vm.count("json"))
    throw usage_error("-o - writes the certificate to standard output, where --json would write too");
  // Refuse before spending time on the computation (checked again when written).
  require_output_writable(path, vm.count("force") > 0);
  // What the checkers would reject for size is refused before any work (format limits).
  require_certificate_format_limits(request.arch);
  // A structured certificate rests on weights of its own construction, not on given ones.
  if (vm.count("structured") && request.given_weights)
    throw usage_error("--structured cannot be given with --network: a structured certificate chooses its own weights");
  if (vm.count("structured")) return write_structured(request, path, vm.count("force") > 0, vm.count("json") > 0);
  PreparedNetwork net;
  CertificateEvidence evidence;
  try {  // too large a matrix or rank: a strip that fits, if one does
    net = prepare_network(request);
    // The min-cut (milliseconds; seconds on huge unrolled networks) only when the size alone
    // does not keep the rank within max_rank.
    if (std::min(net.rows, net.cols) > max_rank.value)
      require_certifiable_rank(net.rows, net.cols, upper_bound_of(net.arch, net.partition).value());
    evidence = find_certificate_evidence(net, request.prime, request.execution);
  } catch (const Error& e) {
    throw with_vary_suggestion(e, request);
  }
  // The partition's name is recorded (and checked) as partition.spec by certificate_json.
  nlohmann::json info = {{"seed", request.seed},
                         {"architecture", architecture_json(request.arch, request.representation)}};
  if (request.given_weights) {  // no draw: the weights are the file's (informational keys)
    info.erase("seed");
    info["weights"] = "file";
    info["network_file"] = request.network_file;
    info["architecture"]["templates_matrix"] = "file";
  } else if (request.field == Field::rationals) {
    info["integer_weight_bound"] = request.weight_bound;
  }
  const nlohmann::ordered_json doc = certificate_json(net, evidence, info);
  write_output(path, certificate_text(doc), vm.count("force") > 0);
  if (vm.count("json")) {
    std::cout << nlohmann::json{{"schema_version", 2},  // docs/schema/certify.schema.json
                                {"seprank_version", SEPRANK_VERSION},
                                {"command", "certify"},
                                {"kind", "dense"},  // a minor (docs/certificate-format.md)
                                {"rank", evidence.profile.rank},
                                {"prime", evidence.prime},
                                {"rows", net.rows},
                                {"cols", net.cols},
                                {"file", path},
                                {"network_sha256", doc["network_sha256"]},
                                {"determinant", evidence.determinant}}
                     .dump(2)
              << "\n";
  } else {
    // Beside a certificate on stdout, the summary goes to stderr.
    std::ostream& o = to_stdout ? std::cerr : std::cout;
    const std::string shown = to_stdout ? "FILE" : path;
    o << "wrote " << (to_stdout ? "standard output" : path) << ": claim rank >= " << evidence.profile.rank
      << " over GF(" << evidence.prime << ") of the " << net.rows << " x " << net.cols << " matricization\n"
      << "check it with: seprank-check " << shown << "  or  python3 checker/check_certificate.py " << shown << "\n";
  }
  return 0;
}

}  // namespace seprank::cli
