#include "seprank/evidence/certificate.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>

#include "seprank/assembly/assemble.hpp"
#include "seprank/support/errors.hpp"

namespace seprank {

namespace {

std::uint64_t reduce(std::int64_t v, std::uint64_t p) {
  const std::int64_t r = v % static_cast<std::int64_t>(p);
  return static_cast<std::uint64_t>(r < 0 ? r + static_cast<std::int64_t>(p) : r);
}

// rows × cols matrix from a flat row-major slice, reduced mod p.
nlohmann::json matrix_json(const std::vector<std::int64_t>& flat, std::size_t offset, int rows, int cols,
                           std::uint64_t p) {
  nlohmann::json m = nlohmann::json::array();
  for (int r = 0; r < rows; ++r) {
    nlohmann::json row = nlohmann::json::array();
    for (int c = 0; c < cols; ++c) row.push_back(reduce(flat[offset + static_cast<std::size_t>(r * cols + c)], p));
    m.push_back(std::move(row));
  }
  return m;
}

// The templates at all of a side's positions for a row (or column) index of the assembled
// submatrix: the varying positions from the index (first most significant), the others fixed.
std::vector<int> side_assignment(std::int64_t index, const std::vector<int>& side, const std::vector<int>& varying,
                                 const std::vector<int>& fixed_templates, int m) {
  std::vector<int> templates(fixed_templates);
  for (std::size_t t = varying.size(); t-- > 0; index /= m)
    templates[static_cast<std::size_t>(varying[t])] = static_cast<int>(index % m);
  std::vector<int> out;
  for (int pos : side) out.push_back(templates[static_cast<std::size_t>(pos)]);
  return out;
}

}  // namespace

nlohmann::ordered_json partition_json(const Partition& p) {
  std::vector<int> varying(p.vary_I);  // V = vary_I ∪ vary_J, the set a mask/indices spec names
  varying.insert(varying.end(), p.vary_J.begin(), p.vary_J.end());
  nlohmann::ordered_json vary;
  vary["spec"] = canonical_partition_spec(p.vary_spec, std::move(varying));
  vary["I"] = p.vary_I;
  vary["J"] = p.vary_J;
  vary["fixed_templates"] = p.fixed_templates;
  nlohmann::ordered_json out;
  out["I"] = p.I;
  out["spec"] = canonical_partition_spec(p.spec, p.I);
  out["vary"] = std::move(vary);
  return out;
}

nlohmann::json certificate_network_json(const PreparedNetwork& net, std::uint64_t p) {
  const Architecture& a = net.arch;
  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t l = 0; l < a.layers.size(); ++l) {
    const LayerGeometry& g = net.geometry[l];
    if (g.pooling) {
      layers.push_back({{"kind", "pool"}, {"window", a.layers[l].window}, {"stride", a.layers[l].stride}});
      continue;
    }
    nlohmann::json weights = nlohmann::json::array();
    const auto size = static_cast<std::size_t>(g.out_channels) * static_cast<std::size_t>(g.in_channels);
    for (std::int64_t k = 0; k < g.weight_matrices(a.sharing); ++k)
      weights.push_back(matrix_json(net.weights.layers[l], static_cast<std::size_t>(k) * size, g.out_channels,
                                    g.in_channels, p));
    layers.push_back({{"kind", "gc"},
                      {"window", a.layers[l].window},
                      {"stride", a.layers[l].stride},
                      {"channels", g.out_channels},
                      {"weights", std::move(weights)}});
  }
  nlohmann::json readout = nlohmann::json::array();
  for (std::int64_t v : net.weights.readout) readout.push_back(reduce(v, p));
  return {{"input", {{"dims", a.dims}, {"height", a.height}, {"width", a.width}}},
          {"templates", a.templates},
          {"padding", to_string(a.padding)},
          {"sharing", to_string(a.sharing)},
          {"representation", matrix_json(net.weights.representation, 0, a.templates, a.templates, p)},
          {"layers", std::move(layers)},
          {"readout", std::move(readout)}};
}

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw Error(exit_internal, "SHA-256 failed");
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

std::string canonical_sha256(const nlohmann::json& value) {
  return sha256_hex(value.dump());  // std::map objects: sorted keys, compact
}

CertificateEvidence find_certificate_evidence(const PreparedNetwork& net, std::uint64_t prime,
                                              const ExecutionContext& context) {
  NmodMatrix matrix = assemble_mod_p(net, prime, context);
  return certificate_evidence_from(nonsingular_minor_mod_p_in_place(matrix, context), prime);
}

CertificateEvidence certificate_evidence_from(NonsingularMinor minor, std::uint64_t prime) {
  CertificateEvidence e;
  e.prime = prime;
  e.profile = std::move(minor.profile);
  e.determinant = minor.determinant;
  if (e.profile.rank == 0) throw data_error("the matricization is zero mod p: there is no rank to certify");
  require_rank_within_format_limits(e.profile.rank);
  if (e.determinant == 0) throw Error(exit_internal, "the selected minor is singular (a bug in pivot selection)");
  return e;
}

nlohmann::ordered_json certificate_json(const PreparedNetwork& net, const CertificateEvidence& e,
                                        const nlohmann::json& informational) {
  const std::int64_t r = e.profile.rank;
  const nlohmann::json network = certificate_network_json(net, e.prime);
  nlohmann::json rows = nlohmann::json::array(), cols = nlohmann::json::array();
  const Partition& p = net.partition;
  for (std::int64_t i : e.profile.rows)
    rows.push_back(side_assignment(i, p.I, p.vary_I, p.fixed_templates, net.arch.templates));
  for (std::int64_t j : e.profile.cols)
    cols.push_back(side_assignment(j, p.J, p.vary_J, p.fixed_templates, net.arch.templates));
  // Ordered for the reader: the claim first, then the network, then the evidence.
  nlohmann::ordered_json doc;
  doc["format"] = "seprank-certificate";
  doc["format_version"] = certificate_format_version;
  doc["seprank_version"] = SEPRANK_VERSION;
  doc["claim"] = {{"statement", "rank >= " + std::to_string(r) + " over GF(" + std::to_string(e.prime) + ")"},
                  {"rank_at_least", r},
                  {"field", "gfp"},
                  {"prime", e.prime}};
  doc["partition"] = partition_json(net.partition);
  doc["index_order"] = "C";
  doc["network_sha256"] = canonical_sha256(network);
  doc["network"] = network;
  doc["evidence"] = {{"rows", std::move(rows)}, {"cols", std::move(cols)}, {"determinant", e.determinant}};
  for (const auto& [key, value] : informational.items())
    if (!doc.contains(key)) doc[key] = value;
  return doc;
}

std::string certificate_text(const nlohmann::ordered_json& doc) {
  // Two levels of line breaks keep a certificate readable without one number per line.
  std::string out = "{";
  const char* sep = "\n";
  for (const auto& [key, value] : doc.items()) {
    out += sep;
    out += " ";  // (appending piece by piece: GCC 12 warns falsely on " " + string)
    out += nlohmann::json(key).dump();
    out += ": ";
    if (value.is_object() && (key == "network" || key == "evidence")) {
      out += "{";
      const char* inner = "\n";
      for (const auto& [k, v] : value.items()) {
        out += inner;
        out += "  ";
        out += nlohmann::json(k).dump();
        out += ": ";
        out += v.dump();
        inner = ",\n";
      }
      out += "\n }";
    } else {
      out += value.dump();
    }
    sep = ",\n";
  }
  return out + "\n}\n";
}

}  // namespace seprank
