// Writing the files seprank produces (docs/output-files.md): a kill at any moment leaves the
// previous file or the complete new one, and nothing that exists is replaced unless asked.
#pragma once

#include <string>
#include <string_view>

namespace seprank {

// Writes `content` to `path`: to a temporary ".NAME.tmp-PID-RANDOM" in the same directory,
// fsync'd, then renamed into place; the temporary file is removed on every error (and on
// SIGINT, SIGTERM or SIGHUP). Without `overwrite`, an existing path (a dangling symlink too) is
// exit 73 and left alone, and the rename refuses to replace a file that appeared meanwhile.
// With `overwrite`, a symlink to a regular file is followed (the link stays), and a device or
// FIFO (/dev/null, /dev/stdout) is written in place, since it cannot be renamed over.
// Errors name `path`: exit 73 when it cannot be created (a directory, too long, a symlink
// loop, no permission, no such directory), exit 74 when writing fails.
void write_file_atomically(const std::string& path, std::string_view content, bool overwrite);

// Refuses, before any work, what write_file_atomically(path, ..., overwrite) would refuse
// before writing: the same exit 73 and message.
void require_writable(const std::string& path, bool overwrite);

// Exit 73 naming `path` when it exists ("... exists; not overwriting it (use --force)") or
// cannot be examined (too long, a symlink loop); a missing directory on the way is no error.
void require_absent(const std::string& path);

// Refuses (exit 73 naming `dir`) an output directory that cannot be created or written:
// a file in its place or in its parents, too long, a symlink loop, no permission.
void require_directory_writable(const std::string& dir);

// Creates `dir` and its parents unless it is a directory already: exit 73 naming it.
void create_output_directory(const std::string& dir);

// Whether a file name (no directory) is one of write_file_atomically's temporary files: what
// a killed run may leave behind, never a user's file.
bool is_temporary_file_name(std::string_view name);

}  // namespace seprank
