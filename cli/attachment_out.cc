#include "attachment_out.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "common.h"

namespace tvault::internal {
// Defined in core/src/util/file.cc (declared in util/file.h, private to core/): link() where the
// file system has hard links, else an O_EXCL claim of `path` and a rename over it.
Status MoveIntoPlaceExclusive(const std::string& tmp, const std::string& path);
}  // namespace tvault::internal

namespace tvault::cli {

void WriteAttachmentOutput(const std::string& path, bool to_stdout,
                           const std::function<void(const Store::AttachmentSink&)>& produce) {
  if (to_stdout == !path.empty()) throw CliError(kExitUsage, "give --out FILE or --stdout");
  if (to_stdout) {
    produce([](std::string_view piece) -> Status {
      std::cout.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      return std::cout ? Status::Ok() : IoError("cannot write to standard output");
    });
    std::cout.flush();
    return;
  }
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) {
    throw CliError(kExitExists, path + ": already exists, refusing to overwrite");
  }
  std::string tmp = path + ".tmp.XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw CliError(kExitIo, path + ": " + std::strerror(errno));
  auto fail = [&](int code, const std::string& message) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw CliError(code, message);
  };
  try {
    produce([&](std::string_view piece) -> Status {
      while (!piece.empty()) {
        ssize_t n = ::write(fd, piece.data(), piece.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return IoError(path + ": " + std::strerror(errno));
        piece.remove_prefix(static_cast<size_t>(n));
      }
      return Status::Ok();
    });
  } catch (const CliError& e) {
    fail(e.code, e.what());
  }
  if (::fsync(fd) != 0) fail(kExitIo, path + ": " + std::strerror(errno));
  ::close(fd);
  // Never over another file, and also on a FAT USB stick, which has no hard links (issue 19,
  // item 5).
  Status moved = internal::MoveIntoPlaceExclusive(tmp, path);
  if (!moved.ok()) {
    ::unlink(tmp.c_str());
    throw CliError(moved.code() == Code::kAlreadyExists ? kExitExists : kExitIo, moved.message());
  }
}

}  // namespace tvault::cli
