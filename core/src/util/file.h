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

// Maps errno after a failed system call on `what` to an IoError naming it.
Status ErrnoStatus(const std::string& what, int err);

bool PathExists(const std::string& path);

// kAlreadyExists naming the first of `paths` that exists, so a key pair is never half
// overwritten; OK when none does.
Status RefuseToOverwrite(std::initializer_list<std::string> paths);

}  // namespace tvault::internal

#endif  // TVAULT_UTIL_FILE_H_
