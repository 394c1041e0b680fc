#include "util/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace tvault::internal {

Status ErrnoStatus(const std::string& what, int err) {
  std::string reason = std::strerror(err);
  if (err == ENOENT) return NotFound(what + ": " + reason);
  if (err == ENOSPC) return IoError(what + ": disk full (" + reason + ")");
  if (err == EROFS || err == EACCES || err == EPERM) {
    return IoError(what + ": not writable (" + reason + ")");
  }
  return IoError(what + ": " + reason);
}

bool PathExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

Status RefuseToOverwrite(std::initializer_list<std::string> paths) {
  for (const std::string& p : paths) {
    if (PathExists(p)) {
      return Status(Code::kAlreadyExists, p + ": already exists, refusing to overwrite");
    }
  }
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(path, errno);
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ErrnoStatus(path, err);
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      ::close(fd);
      return InvalidArgument(path + ": file is larger than " + std::to_string(max_bytes) +
                             " bytes");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

static std::string DirName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status WriteFileAtomic(const std::string& path, const std::string& data, int mode,
                       bool exclusive) {
  if (exclusive && PathExists(path)) {
    return Status(Code::kAlreadyExists, path + ": already exists, refusing to overwrite");
  }
  std::string tmpl = path + ".tmp.XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) return ErrnoStatus(DirName(path), errno);
  std::string tmp(name.data());
  auto fail = [&](int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return ErrnoStatus(path, err);
  };
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) return fail(errno);
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(errno);
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail(errno);
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return ErrnoStatus(path, err);
  }
  if (exclusive) {
    // link() fails if the target appeared meanwhile, unlike rename().
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      int err = errno;
      ::unlink(tmp.c_str());
      if (err == EEXIST) {
        return Status(Code::kAlreadyExists, path + ": already exists, refusing to overwrite");
      }
      return ErrnoStatus(path, err);
    }
    ::unlink(tmp.c_str());
  } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return ErrnoStatus(path, err);
  }
  int dfd = ::open(DirName(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

}  // namespace tvault::internal
