// tvault keys age-identity: writes the organisation secret key as a stock age identity file,
// so that a coordinator can decrypt bundles with `age -d -i FILE` (docs/age.md).
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <iostream>
#include <memory>
#include <string>

#include "common.h"
#include "tvault/keys.h"

namespace tvault::internal {
// Defined in core/src/crypto/age_header.cc (declared in crypto/age.h, which is private to
// core/): the "AGE-SECRET-KEY-1..." identity for `key`.
SecretBytes AgeIdentityString(const OrgSecretKey& key);
}  // namespace tvault::internal

namespace tvault::cli {
namespace {

// Now, UTC, in RFC 3339 as age-keygen writes it ("2024-05-01T12:00:00Z").
std::string NowRfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Creates `path` with mode 0600 (never overwriting, never following a symlink), writes `text`,
// fsyncs and closes it. Removes the partial file and throws CliError on failure.
void WriteNewPrivateFile(const std::string& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    int err = errno;
    if (err == EEXIST) throw CliError(kExitExists, path + ": already exists, refusing to overwrite");
    throw CliError(err == ENOENT ? kExitNotFound : kExitIo, path + ": " + std::strerror(err));
  }
  size_t done = 0;
  int err = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) {
    ::unlink(path.c_str());
    throw CliError(kExitIo, path + ": " + std::strerror(err));
  }
}

}  // namespace

void RegisterKeysAgeIdentity(CLI::App* keys) {
  struct Opts {
    std::string org_secret;
    std::string out;
    PassphraseSource pass;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = keys->add_subcommand(
      "age-identity",
      "Write the organisation secret key as an age identity file (AGE-SECRET-KEY-1...), to "
      "decrypt bundles with the stock tool: age -d -i OUT bundle. OUT holds the secret key IN "
      "THE CLEAR: make it only on an offline coordinator machine and destroy it after use");
  cmd->add_option("--org-secret", opts->org_secret, "The organisation secret key file (org.key)")
      ->required();
  cmd->add_option("--out", opts->out, "The identity file to create (mode 0600, never overwritten)")
      ->required();
  cmd->add_option("--key-passphrase-fd", opts->pass.fd,
                  "Read the passphrase for the org secret key from this file descriptor");
  cmd->callback([opts]() {
    // Refuse early, before asking for a passphrase; WriteNewPrivateFile checks again (O_EXCL).
    if (::access(opts->out.c_str(), F_OK) == 0) {
      throw CliError(kExitExists, opts->out + ": already exists, refusing to overwrite");
    }
    RequireInputFile(opts->org_secret);
    SecretBytes pass =
        ReadPassphrase(opts->pass, "Passphrase for " + opts->org_secret + ": ", false);
    OrgSecretKey key = Check(ReadOrgSecretKey(opts->org_secret, pass));
    // The identity is the organisation secret: it and the file's text live in sodium_malloc
    // memory only (no std::string copy), wiped when freed.
    const SecretBytes identity = internal::AgeIdentityString(key);
    const std::string head = "# created: " + NowRfc3339() + "\n" +
                             "# public key: " + key.public_key().ToAgeRecipient() + "\n" +
                             "# tvault organisation SECRET key in the clear: destroy this file "
                             "after use\n";
    SecretBytes text(head.size() + identity.size() + 1);
    if (!identity.valid() || !text.valid()) {
      throw CliError(kExitIo, "cannot allocate secure memory for the identity");
    }
    std::memcpy(text.data(), head.data(), head.size());
    std::memcpy(text.data() + head.size(), identity.data(), identity.size());
    text.data()[text.size() - 1] = '\n';
    WriteNewPrivateFile(opts->out, text.view());
    std::cout << "wrote " << opts->out << " (age identity for " << key.public_key().Fingerprint()
              << ")\n";
    std::cerr << "warning: " << opts->out
              << " is the organisation secret key in the clear; destroy it after use\n";
  });
}

}  // namespace tvault::cli
