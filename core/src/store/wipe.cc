// Wipe: the crypto-erase of a store (its key file, every temporary copy of it, then the rest).
#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "crypto/envelope.h"
#include "store/store_impl.h"
#include "util/file.h"

namespace tvault {

namespace {

constexpr size_t kMaxKeyFileBytes = internal::kEnvelopeSize + 1;

// Overwrites a regular file with random bytes and syncs it, then unlinks it. O_NOFOLLOW: a
// symbolic link planted in the store is never followed to destroy another file.
Status OverwriteAndUnlink(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return internal::ErrnoStatus(path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return IoError(path + ": not a regular file, not wiped");
  }
  std::string noise(static_cast<size_t>(st.st_size), '\0');
  randombytes_buf(noise.data(), noise.size());
  bool ok = ::pwrite(fd, noise.data(), noise.size(), 0) == static_cast<ssize_t>(noise.size()) &&
            ::fsync(fd) == 0;
  int err = errno;
  ::close(fd);
  if (!ok) return internal::ErrnoStatus(path, err);
  if (::unlink(path.c_str()) != 0) return internal::ErrnoStatus(path, errno);
  return Status::Ok();
}

}  // namespace

Status Store::Wipe(const std::string& dir) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  const std::string key_path = internal::StorePath(dir, kStoreKeyFile);
  const std::string missing =
      "no tvault store at " + dir + " (missing " + std::string(kStoreKeyFile) + ")";
  // The lock passwd holds: a passwd that already read the key finishes first (and its new key
  // is wiped here), or it starts after and finds no store.
  auto lock = internal::DirLock::Acquire(dir);
  if (!lock.ok()) {
    return lock.status().code() == Code::kNotFound ? NotFound(missing) : lock.status();
  }
  // A passwd killed between writing and renaming leaves store.key.tmp.XXXXXX: each holds the
  // data key wrapped like store.key, so each is destroyed too.
  std::vector<std::string> leftovers;
  if (DIR* d = ::opendir(dir.c_str())) {
    const std::string prefix = std::string(kStoreKeyFile) + ".tmp.";
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name.compare(0, prefix.size(), prefix) == 0) leftovers.push_back(dir + "/" + name);
    }
    ::closedir(d);
  }
  auto bytes = internal::ReadFile(key_path, kMaxKeyFileBytes);
  const bool has_key = bytes.ok() || bytes.status().code() != Code::kNotFound;
  // Without store.key but with a temporary, a wipe was interrupted: it is finished below.
  if (!has_key && leftovers.empty()) return NotFound(missing);
  if (has_key) {
    if (!bytes.ok() ||
        bytes->compare(0, internal::kEnvelopeMagicSize, internal::kStoreKeyMagic) != 0) {
      return Damaged(key_path + " is not a tvault store key; refusing to wipe");
    }
    // Overwriting in place defeats recovery on ordinary disks; on flash storage and
    // copy-on-write file systems old blocks may survive, still protected by the passphrase
    // (SECURITY.md says so).
    TVAULT_RETURN_IF_ERROR(OverwriteAndUnlink(key_path));
  }
  for (const std::string& path : leftovers) TVAULT_RETURN_IF_ERROR(OverwriteAndUnlink(path));
  const std::string db_path = internal::StorePath(dir, kStoreDbFile);
  for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((db_path + suffix).c_str());
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  ::rmdir(dir.c_str());  // only succeeds when nothing else is left in it
  return Status::Ok();
}

}  // namespace tvault
