#include "seprank/support/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <regex>

#include "seprank/support/errors.hpp"

namespace seprank {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void cannot_create(const std::string& path, int error) {
  throw Error(exit_cannot_create, "cannot create " + path + ": " + std::strerror(error));
}

[[noreturn]] void cannot_write(const std::string& path, int error) {
  throw Error(exit_io, "cannot write " + path + ": " + std::strerror(error));
}

[[noreturn]] void refuse_existing(const std::string& path) {
  throw Error(exit_cannot_create, path + " exists; not overwriting it (use --force)");
}

// The temporary file in flight, unlinked by the handler of SIGINT, SIGTERM and SIGHUP so that
// a Ctrl-C leaves nothing behind (a SIGKILL cannot be caught: its leftovers are known by name).
std::atomic<bool> cleanup_owned{false};  // one writer at a time uses the slot
std::atomic<bool> cleanup_armed{false};
char cleanup_path[4096];

extern "C" void remove_temporary_and_die(int signal) {
  if (cleanup_armed.load()) ::unlink(cleanup_path);
  std::raise(signal);  // SA_RESETHAND restored the default action
}

void install_cleanup_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      // An ignored or handled signal stays as it is (a background job ignores SIGINT).
      if (::sigaction(signal, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;
      struct sigaction action {};
      action.sa_handler = remove_temporary_and_die;
      sigemptyset(&action.sa_mask);
      action.sa_flags = SA_RESETHAND;
      ::sigaction(signal, &action, nullptr);
    }
  });
}

// Owns a temporary file: unlinks it unless released (renamed into place).
class Temporary {
 public:
  explicit Temporary(std::string path) : path_(std::move(path)) {
    bool expected = false;
    if (path_.size() < sizeof cleanup_path && cleanup_owned.compare_exchange_strong(expected, true)) {
      std::memcpy(cleanup_path, path_.c_str(), path_.size() + 1);
      cleanup_armed.store(true);
      in_slot_ = true;
    }
  }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;
  ~Temporary() {
    if (!released_) ::unlink(path_.c_str());
    release();
  }
  void release() {
    released_ = true;
    if (in_slot_) {
      cleanup_armed.store(false);
      cleanup_owned.store(false);
      in_slot_ = false;
    }
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool released_ = false, in_slot_ = false;
};

void write_all(int fd, std::string_view content, const std::string& path) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      ::close(fd);
      cannot_write(path, error);
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Where and how a write to `path` goes, or the exit-73 refusal.
struct Plan {
  std::string target;  // the file renamed into place: `path`, or where its symlink points
  mode_t mode = 0;     // a replaced file's permissions (0: a new file, the umask applies)
  bool in_place = false;  // a device or FIFO: written as it is
};

void require_directory(const std::string& path, const fs::path& dir) {
  const std::string d = dir.empty() ? "." : dir.string();
  struct stat st {};
  if (::stat(d.c_str(), &st) != 0) cannot_create(path, errno);
  if (!S_ISDIR(st.st_mode)) cannot_create(path, ENOTDIR);
  if (::access(d.c_str(), W_OK | X_OK) != 0) cannot_create(path, errno);
}

Plan plan_write(const std::string& path, bool overwrite) {
  if (path.empty() || !fs::path(path).has_filename())
    throw Error(exit_cannot_create, "cannot create '" + path + "': not a file name");
  Plan plan{path};
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) cannot_create(path, errno);  // too long, a symlink loop, a file as a directory
    require_directory(path, fs::path(path).parent_path());
    return plan;
  }
  if (!overwrite) {
    if (S_ISDIR(st.st_mode)) cannot_create(path, EISDIR);
    refuse_existing(path);
  }
  if (S_ISLNK(st.st_mode)) {
    if (::stat(path.c_str(), &st) != 0) {
      if (errno != ENOENT) cannot_create(path, errno);
      require_directory(path, fs::path(path).parent_path());
      return plan;  // a dangling symlink: replaced by the file
    }
    char* resolved = ::realpath(path.c_str(), nullptr);
    if (!resolved) cannot_create(path, errno);
    plan.target = resolved;
    std::free(resolved);
  }
  if (S_ISDIR(st.st_mode)) cannot_create(path, EISDIR);
  if (!S_ISREG(st.st_mode)) {
    plan.in_place = true;
    return plan;
  }
  plan.mode = st.st_mode & 07777;
  require_directory(path, fs::path(plan.target).parent_path());
  return plan;
}

void write_in_place(const std::string& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) cannot_create(path, errno);
  write_all(fd, content, path);
  if (::close(fd) != 0) cannot_write(path, errno);
}

[[noreturn]] void cannot_rename(const std::string& path, int error) {
  if (error == EEXIST) refuse_existing(path);
  if (error == EIO || error == ENOSPC || error == EDQUOT) cannot_write(path, error);
  cannot_create(path, error);
}

// Renames without replacing anything: renameat2's RENAME_NOREPLACE, or link + unlink on a
// file system without it.
void rename_no_replace(const Temporary& temporary, const std::string& target, const std::string& path) {
  if (::renameat2(AT_FDCWD, temporary.path().c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) return;
  if (errno != EINVAL && errno != ENOSYS) cannot_rename(path, errno);
  if (::link(temporary.path().c_str(), target.c_str()) != 0) cannot_rename(path, errno);
  ::unlink(temporary.path().c_str());
}

}  // namespace

void require_writable(const std::string& path, bool overwrite) { plan_write(path, overwrite); }

void require_absent(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) refuse_existing(path);
  if (errno != ENOENT && errno != ENOTDIR) cannot_create(path, errno);
}

void write_file_atomically(const std::string& path, std::string_view content, bool overwrite) {
  const Plan plan = plan_write(path, overwrite);
  if (plan.in_place) return write_in_place(path, content);
  install_cleanup_handlers();
  const fs::path target(plan.target);
  // Capped so that the temporary name stays within NAME_MAX (255) whenever the target's does.
  const std::string name = "." + target.filename().string().substr(0, 200) + ".tmp-" + std::to_string(::getpid()) + "-";
  std::random_device random;
  for (int attempt = 0;; ++attempt) {
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
    const std::string temporary_path = (target.parent_path() / (name + suffix)).string();
    Temporary temporary(temporary_path);
    const int fd = ::open(temporary_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
      const int error = errno;
      temporary.release();  // not ours to remove
      if (error == EEXIST && attempt < 16) continue;
      cannot_create(path, error);
    }
    if (plan.mode != 0) (void)::fchmod(fd, plan.mode);
    write_all(fd, content, path);
    if (::fsync(fd) != 0) {
      const int error = errno;
      ::close(fd);
      cannot_write(path, error);
    }
    if (::close(fd) != 0) cannot_write(path, errno);
    // No fsync of the directory: a kill cannot undo a completed rename (only a power loss could).
    if (overwrite) {
      if (::rename(temporary_path.c_str(), plan.target.c_str()) != 0) cannot_rename(path, errno);
    } else {
      rename_no_replace(temporary, plan.target, path);
    }
    temporary.release();
    return;
  }
}

void require_directory_writable(const std::string& dir) {
  if (dir.empty()) throw Error(exit_cannot_create, "cannot create the directory '': not a directory name");
  // The directory itself if it exists, else its nearest existing parent, which must take it.
  fs::path p(dir);
  while (true) {
    struct stat st {};
    if (::stat(p.empty() ? "." : p.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode))
        throw Error(exit_cannot_create, "cannot create the directory " + dir + ": " +
                                            (p == fs::path(dir) ? "a file of that name exists" : p.string() + " is not a directory"));
      if (::access(p.empty() ? "." : p.c_str(), W_OK | X_OK) != 0)
        throw Error(exit_cannot_create, "cannot create the directory " + dir + ": " + std::strerror(errno));
      return;
    }
    if (errno != ENOENT || p.empty() || !p.has_relative_path())
      throw Error(exit_cannot_create, "cannot create the directory " + dir + ": " + std::strerror(errno));
    p = p.has_filename() ? p.parent_path() : p.parent_path().parent_path();  // "a/b/" -> "a"
  }
}

void create_output_directory(const std::string& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return;
  fs::create_directories(dir, ec);
  if (ec) throw Error(exit_cannot_create, "cannot create the directory " + dir + ": " + ec.message());
}

bool is_temporary_file_name(std::string_view name) {
  static const std::regex pattern(R"(\..+\.tmp-[0-9]+-[0-9a-f]{8})");
  return std::regex_match(name.begin(), name.end(), pattern);
}

}  // namespace seprank
