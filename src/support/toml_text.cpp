#include "seprank/support/toml_text.hpp"

#include "seprank/support/errors.hpp"

namespace seprank {

toml::table parse_toml_text(const std::string& text, const std::string& path) {
  // toml++ skips a byte order mark; Python's tomllib, which re-reads theorem files in proof
  // bundles, refuses it (as anywhere outside strings and comments): so does seprank.
  if (text.rfind("\xEF\xBB\xBF", 0) == 0)
    throw data_error(path + ":1: not valid TOML: the file starts with a UTF-8 byte order mark");
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw data_error(path + ":" + std::to_string(e.source().begin.line) + ": not valid TOML: " +
                     std::string(e.description()));
  }
}

}  // namespace seprank
