// File helpers that either finish or leave the old file in place.
#ifndef TVAULT_UTIL_FILE_H_
#define TVAULT_UTIL_FILE_H_

#include <initializer_list>
#include <string>

#include "tvault/status.h"

namespace tvault::internal {

// Reads a whole file. kNotFound when it does not exist; kInvalidArgument when it is larger than
// `max_bytes` (so hostile input cannot exhaust memory).
Result<std::string> ReadFile(const std::string& path, size_t max_bytes);

// Writes `data` to `path` with `mode` through a temporary file in the same directory: write,
// fsync, rename, fsync the directory. A crash at any point leaves either the old file or the
// new one. When `exclusive`, refuses (kAlreadyExists) if `path` exists.
Status WriteFileAtomic(const std::string& path, const std::string& data, int mode,
                       bool exclusive);

// An exclusive advisory lock (flock) on a directory, held until the object is destroyed. The
// commands that replace or destroy a store's key file (passwd, wipe) hold it across every step,
// so one never interleaves with another: a passphrase checked under it is still the store's
// when the new key file is written, and a wipe cannot be undone by a passwd that read the key
// before it. flock works on every local file system, FAT included, and needs no extra file.
class DirLock {
 public:
  // Blocks until the lock is granted. kNotFound when `dir` does not exist.
  static Result<DirLock> Acquire(const std::string& dir);
  DirLock(DirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DirLock& operator=(DirLock&&) = delete;
  DirLock(const DirLock&) = delete;
  ~DirLock();

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Moves the complete file `tmp` to `path` unless `path` exists (kAlreadyExists; `tmp` is then
// left for the caller to remove). Uses link() where the file system has hard links, and on
// FAT and exFAT (USB sticks), which have none, claims `path` with O_EXCL and renames over it.
// Syncs nothing: the caller fsyncs `tmp` before and the folder after.
Status MoveIntoPlaceExclusive(const std::string& tmp, const std::string& path);

// Creates `path` exclusively (O_CREAT | O_EXCL: kAlreadyExists if it exists, on every file
// system, FAT included), writes `data` and fsyncs it. On failure the file is removed. Unlike
// WriteFileAtomic, a crash can leave a partial file under `path`: for files inside a folder
// that is itself renamed into place when complete.
Status WriteNewFile(const std::string& path, const std::string& data, int mode);

// The folder part of `path`: "a/b" -> "a", "b" -> ".", "/b" -> "/".
std::string DirName(const std::string& path);

// fsyncs the folder `dir` so that the names created or renamed in it are durable. Best effort
// (some file systems cannot sync a folder): only an I/O error is reported.
Status SyncDir(const std::string& dir);

// Maps errno after a failed system call on `what` to an IoError naming it.
Status ErrnoStatus(const std::string& what, int err);

bool PathExists(const std::string& path);

// kAlreadyExists naming the first of `paths` that exists, so a key pair is never half
// overwritten; OK when none does.
Status RefuseToOverwrite(std::initializer_list<std::string> paths);

}  // namespace tvault::internal

#endif  // TVAULT_UTIL_FILE_H_
