// A main() for a fuzz target without libFuzzer: runs LLVMFuzzerTestOneInput once per input, so
// any compiler builds the targets and the test suite replays their seeds and committed
// regressions (fuzz/regressions/<target>/). Arguments: files, directories (every regular
// file directly inside, sorted), and *.lines files, which hold one input per line
// (empty lines and lines starting with '#' are skipped).
// A failing input aborts inside the target; the line printed before it names the input.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

void run(const std::string& input, const std::string& name) {
  std::fprintf(stderr, "replaying %s\n", name.c_str());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int replay(const fs::path& path) {
  if (fs::is_directory(path)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path))
      if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    int count = 0;
    for (const fs::path& file : files) count += replay(file);
    return count;
  }
  if (!fs::is_regular_file(path)) {
    std::fprintf(stderr, "no such input: %s\n", path.c_str());
    std::exit(2);
  }
  if (path.extension() != ".lines") {
    run(read(path), path.string());
    return 1;
  }
  std::ifstream in(path);
  int count = 0, number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    run(line, path.string() + ":" + std::to_string(number));
    ++count;
  }
  return count;
}

}  // namespace

int main(int argc, char** argv) {
  int count = 0;
  for (int i = 1; i < argc; ++i) count += replay(argv[i]);
  std::printf("%d inputs replayed\n", count);
  return count > 0 ? 0 : 1;
}
