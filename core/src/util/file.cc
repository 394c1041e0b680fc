#include "util/file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <vector>

namespace tvault::internal {

Status ErrnoStatus(const std::string& what, int err) {
  std::string reason = std::strerror(err);
  if (err == ENOENT) return NotFound(what + ": " + reason);
  if (err == ENOSPC) return IoError(what + ": the disk is full");
  if (err == EFBIG) {
    return IoError(what + ": the file is larger than this process may write (" + reason +
                   "; see `ulimit -f`)");
  }
  if (err == EROFS || err == EACCES || err == EPERM) {
    return IoError(what + ": not writable (" + reason + ")");
  }
  return IoError(what + ": " + reason);
}

Result<DirLock> DirLock::Acquire(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(dir, errno);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    int err = errno;
    ::close(fd);
    return ErrnoStatus(dir, err);
  }
  return DirLock(fd);
}

DirLock::~DirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the lock
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

Status SyncDir(const std::string& dir) {
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return Status::Ok();
  const bool io_error = ::fsync(dfd) != 0 && errno == EIO;
  ::close(dfd);
  return io_error ? ErrnoStatus(dir, EIO) : Status::Ok();
}

std::string DirName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status MoveIntoPlaceExclusive(const std::string& tmp, const std::string& path) {
  const Status exists(Code::kAlreadyExists, path + ": already exists, refusing to overwrite");
  // link() fails if the target exists, unlike rename(), and never shows a partial file.
  if (::link(tmp.c_str(), path.c_str()) == 0) {
    ::unlink(tmp.c_str());
    return Status::Ok();
  }
  if (errno == EEXIST) return exists;
  // FAT and exFAT (USB sticks) have no hard links: EPERM, or EOPNOTSUPP / ENOSYS elsewhere.
  // There the name is claimed with O_EXCL (atomic on every file system) as an empty file,
  // which rename() then replaces with the complete one. A crash in between leaves that empty
  // file, never a partial one.
  if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS && errno != EMLINK) {
    return ErrnoStatus(path, errno);
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return errno == EEXIST ? exists : ErrnoStatus(path, errno);
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(path.c_str());
    return ErrnoStatus(path, err);
  }
  return Status::Ok();
}

namespace {

// Writes all of `data` to `fd` (retrying after EINTR and short writes), fsyncs and closes it.
// The descriptor is closed on every path. Returns 0, or the errno of the first failure, for the
// caller to remove its file and name it in the error.
int WriteAllSyncAndClose(int fd, std::string_view data) {
  int err = 0;
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      break;
    }
    off += static_cast<size_t>(n);
  }
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  return err;
}

}  // namespace

Status WriteNewFile(const std::string& path, const std::string& data, int mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                  static_cast<mode_t>(mode));
  if (fd < 0) {
    if (errno == EEXIST) {
      return Status(Code::kAlreadyExists, path + ": already exists, refusing to overwrite");
    }
    return ErrnoStatus(path, errno);
  }
  if (int err = WriteAllSyncAndClose(fd, data); err != 0) {
    ::unlink(path.c_str());
    return ErrnoStatus(path, err);
  }
  return Status::Ok();
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
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return ErrnoStatus(path, err);
  }
  if (int err = WriteAllSyncAndClose(fd, data); err != 0) {
    ::unlink(tmp.c_str());
    return ErrnoStatus(path, err);
  }
  if (exclusive) {
    Status moved = MoveIntoPlaceExclusive(tmp, path);
    if (!moved.ok()) {
      ::unlink(tmp.c_str());
      return moved;
    }
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
