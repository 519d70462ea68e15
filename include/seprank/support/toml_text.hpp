// Parsing a TOML document that seprank reads (theorem files, family files) the way Python's
// tomllib does: a leading UTF-8 byte order mark is refused, which toml++ alone would skip.
#pragma once

#include <string>

#include <toml++/toml.h>

namespace seprank {

// The document's root table; a data error (exit 65) "PATH:LINE: not valid TOML: ..." otherwise.
toml::table parse_toml_text(const std::string& text, const std::string& path);

}  // namespace seprank
