// Fuzz target: a network file (`seprank rank --network FILE`, docs/model.md "Given weights"):
// parse_network_file (the exact JSON reader, the shapes, the weights as exact rationals), then
// what prepare_network does with the weights: residues mod a small and a large prime, the
// groups scaled to integers, and their 64-bit form and Hadamard bits when they fit.
//
// A seprank::Error of the user-facing kinds is the expected answer to bad input; anything
// else (another exception, exit_internal, a broken invariant, a sanitizer report) is a bug.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "seprank/model/given_weights.hpp"
#include "seprank/model/network_file.hpp"
#include "seprank/support/errors.hpp"

namespace {

void require(bool condition) {
  if (!condition) std::abort();  // an invariant of a read network does not hold
}

bool user_facing(const seprank::Error& e) {
  return e.code() == seprank::exit_usage || e.code() == seprank::exit_data || e.code() == seprank::exit_resource;
}

void residues_in_range(const seprank::GivenWeights& w, std::uint64_t p) {
  try {
    const seprank::NetworkWeights r = w.residues(p, "");
    auto in_range = [&](const std::vector<std::int64_t>& v) {
      for (std::int64_t x : v) require(x >= 0 && static_cast<std::uint64_t>(x) < p);
    };
    in_range(r.representation);
    in_range(r.readout);
    for (const auto& layer : r.layers) in_range(layer);
  } catch (const seprank::Error& e) {
    require(e.code() == seprank::exit_data);  // a denominator p divides
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const seprank::NetworkFile file = seprank::parse_network_file(text, "fuzz.json");
    const seprank::GivenWeights& w = *file.weights;
    residues_in_range(w, 3);
    residues_in_range(w, 4611686018427387847ULL);
    const seprank::GivenWeights integers = w.scaled_to_integers();
    residues_in_range(integers, 3);  // integers: never a denominator
    if (integers.fits_int64()) {
      const seprank::NetworkWeights exact = integers.as_int64();
      require(exact.readout.size() == integers.group_size(integers.groups() - 1));
    }
    for (std::size_t g = 0; g < integers.groups(); ++g) require(integers.group_log2_bound(g) >= 0);
  } catch (const seprank::Error& e) {
    if (!user_facing(e)) std::abort();
  }
  return 0;
}
