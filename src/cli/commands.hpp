// One function per subcommand; each returns the process exit code or throws seprank::Error.
#pragma once

namespace seprank::cli {

int rank_command(int argc, const char* const* argv);
int demo_command(int argc, const char* const* argv);
int certify_command(int argc, const char* const* argv);
int bound_command(int argc, const char* const* argv);
int verify_command(int argc, const char* const* argv);
int sweep_command(int argc, const char* const* argv);
int compare_command(int argc, const char* const* argv);
int merge_command(int argc, const char* const* argv);

}  // namespace seprank::cli
