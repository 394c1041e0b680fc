// An LD_PRELOAD library for the integration tests: faults of the file system that a test
// cannot make otherwise, each switched on by an environment variable of the tvault process.
//
//   TVAULT_SHIM_NO_LINK=1            link() and linkat() fail with EPERM, as on FAT and exFAT
//                                    (no hard links): what a USB stick does to a program that
//                                    creates files exclusively through link().
//   TVAULT_SHIM_KILL_FSYNC=TEXT:N    the N-th fsync() of a file whose path contains TEXT kills
//                                    the process with SIGKILL before it returns, like a power
//                                    cut or `kill -9` in the middle of writing a folder.
//   TVAULT_SHIM_KILL_PAST=TEXT:BYTES a pwrite() that would make a file whose path contains TEXT
//                                    longer than BYTES kills the process with SIGKILL before
//                                    it writes: a crash in the middle of writing a WAL. (A
//                                    file size limit did this until tvault ignored SIGXFSZ.)
//
// Built without sanitizers (tests/CMakeLists.txt) so that it can be preloaded into any build.
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

namespace {

template <typename F>
F Next(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

bool NoLink() {
  const char* v = getenv("TVAULT_SHIM_NO_LINK");
  return v != nullptr && v[0] == '1';
}

// When `fd`'s path contains the TEXT of the variable `name` (TEXT:NUMBER), returns NUMBER;
// otherwise -1.
long long Matching(const char* name, int fd) {
  const char* spec = getenv(name);
  if (spec == nullptr) return -1;
  const char* colon = strrchr(spec, ':');
  if (colon == nullptr) return -1;
  char link[64], path[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return -1;
  path[n] = '\0';
  const size_t text_len = static_cast<size_t>(colon - spec);
  bool match = false;
  for (const char* p = path; *p != '\0' && !match; ++p) match = strncmp(p, spec, text_len) == 0;
  return match ? strtoll(colon + 1, nullptr, 10) : -1;
}

// Kills the process when `fd` is the N-th file synced whose path contains the text.
void MaybeKill(int fd) {
  const long long target = Matching("TVAULT_SHIM_KILL_FSYNC", fd);
  if (target < 0) return;
  static long long count = 0;
  if (++count == target) kill(getpid(), SIGKILL);
}

void MaybeKillPast(int fd, size_t count, off_t offset) {
  const long long limit = Matching("TVAULT_SHIM_KILL_PAST", fd);
  if (limit >= 0 && static_cast<long long>(offset) + static_cast<long long>(count) > limit) {
    kill(getpid(), SIGKILL);
  }
}

}  // namespace

extern "C" {

int link(const char* from, const char* to) {
  if (NoLink()) {
    errno = EPERM;
    return -1;
  }
  return Next<int (*)(const char*, const char*)>("link")(from, to);
}

int linkat(int from_dir, const char* from, int to_dir, const char* to, int flags) {
  if (NoLink()) {
    errno = EPERM;
    return -1;
  }
  return Next<int (*)(int, const char*, int, const char*, int)>("linkat")(from_dir, from, to_dir,
                                                                         to, flags);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  MaybeKillPast(fd, count, offset);
  return Next<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite")(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off_t offset) {
  MaybeKillPast(fd, count, offset);
  return Next<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite64")(fd, buf, count, offset);
}

int fsync(int fd) {
  MaybeKill(fd);
  return Next<int (*)(int)>("fsync")(fd);
}

int fdatasync(int fd) {
  MaybeKill(fd);
  return Next<int (*)(int)>("fdatasync")(fd);
}

}  // extern "C"
