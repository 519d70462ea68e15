#include "seprank/support/bounded_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "seprank/support/errors.hpp"

namespace seprank {

namespace {

// Why a file that is not a regular file is refused.
std::string not_regular(mode_t mode) {
  const char* kind = S_ISDIR(mode) ? "a directory" : S_ISFIFO(mode) ? "a FIFO" : S_ISCHR(mode) ? "a character device"
                     : S_ISBLK(mode) ? "a block device" : S_ISSOCK(mode) ? "a socket" : nullptr;
  return kind ? std::string("it is ") + kind + ", not a regular file" : "it is not a regular file";
}

std::string limit_text(std::uint64_t max_bytes) {
  std::string text = "the limit of " + std::to_string(max_bytes) + " bytes";
  if (max_bytes % (1 << 20) == 0) text += " (" + std::to_string(max_bytes >> 20) + " MiB)";
  return text;
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string read_regular_file(const std::string& path, std::uint64_t max_bytes) {
  const auto refuse = [&](const std::string& why) {
    return Error(exit_no_input, path + ": cannot read the file: " + why);
  };
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; on a regular
  // file it changes nothing.
  const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0) throw refuse(std::strerror(errno));
  struct stat info;
  if (::fstat(fd.get(), &info) != 0) throw refuse(std::strerror(errno));
  if (!S_ISREG(info.st_mode)) throw refuse(not_regular(info.st_mode));
  if (static_cast<std::uint64_t>(info.st_size) > max_bytes)
    throw refuse(std::to_string(info.st_size) + " bytes, above " + limit_text(max_bytes));
  std::string text;
  text.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      throw refuse(std::strerror(errno));
    }
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > max_bytes) throw refuse("it grew past " + limit_text(max_bytes) + " while being read");
  }
  return text;
}

}  // namespace seprank
