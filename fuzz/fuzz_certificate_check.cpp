// Fuzz target: the certificate reader and checker of seprank-check (checker/seprank_check.cpp,
// included whole, without its main), as `seprank-check FILE` runs it: the top-level "format"
// chooses a dense certificate, a structured certificate (docs/structured-certificate.md) or a
// cut witness. Whatever the bytes, the checker must reach a verdict -- verified, refuted,
// malformed or, for a structured certificate, too large for this checker (3 is for files that
// cannot be read) -- printed as one line of printable ASCII, and reach the same one again.
//
// The recorded network_sha256 is not compared here (the hash is still computed): a mutated
// network would otherwise never get past it, and the forward evaluation and determinant of
// odd networks (same padding, huge windows, local sharing) are where memory errors would be.
// The committed broken certificates and the mutation tests cover the comparison itself.
#include <cstdint>
#include <cstdlib>
#include <string>

#define SEPRANK_CHECK_NO_MAIN
#define SEPRANK_CHECK_FUZZ_IGNORE_HASH
#include "../checker/seprank_check.cpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const seprank_check::Verdict verdict = seprank_check::check_evidence_text(text);
  if (verdict.exit_code < 0 || verdict.exit_code > 4 || verdict.exit_code == 3) std::abort();
  const std::string line = seprank_check::verdict_line(verdict);
  for (char c : line)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) std::abort();
  const seprank_check::Verdict again = seprank_check::check_evidence_text(text);
  if (again.exit_code != verdict.exit_code || again.message != verdict.message) std::abort();
  return 0;
}
