// Shell scripts that drive the real `tvault` binary where the test process itself cannot go:
// inside a private mount namespace (a tmpfs or FUSE mount only the script sees), or with a
// fault shim preloaded into every command. Each command records its exit code, stdout and
// stderr in files of the test's work directory, which the test reads back afterwards.
#ifndef TVAULT_TESTS_CLI_SHELL_SCRIPT_H_
#define TVAULT_TESTS_CLI_SHELL_SCRIPT_H_

#include <cstdlib>
#include <string>

#include "cli_fixture.h"

namespace tvault::testing {

// The example pushback of docs/examples, as `add --from` reads it.
inline const std::string kExamplePushback =
    std::string(TVAULT_SOURCE_DIR) + "/docs/examples/pushback.json";

// `s` as one word for /bin/sh: '...', with each ' written as '\''.
inline std::string ShQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A script line that runs `tvault ARGS` (ARGS already quoted for the shell) with fd 3 read from
// the file `fd3` and records NAME.out, NAME.err and NAME.rc (the exit code) in `dir`.
inline std::string RecordedTvault(const std::string& dir, const std::string& name,
                                  const std::string& args, const std::string& fd3) {
  const std::string base = dir + "/" + name;
  return ShQuote(TVAULT_BINARY) + " " + args + " 3<" + ShQuote(fd3) + " >" +
         ShQuote(base + ".out") + " 2>" + ShQuote(base + ".err") + "; echo $? >" +
         ShQuote(base + ".rc") + "\n";
}

// What the RecordedTvault line NAME recorded in `dir`.
inline RunResult Recorded(const std::string& dir, const std::string& name) {
  const std::string base = dir + "/" + name;
  RunResult r;
  r.exit_code = std::atoi(ReadFileOrDie(base + ".rc").c_str());
  r.out = ReadFileOrDie(base + ".out");
  r.err = ReadFileOrDie(base + ".err");
  return r;
}

// Runs `script` with /bin/sh in a private mount namespace (`unshare -m`; CI runs as root). A
// script exits 97 when it cannot make its mount. Returns false, with the reason after `what`
// in *why, when this machine allows no such namespace or mount.
inline bool RunInMountNamespace(const std::string& script, const std::string& what,
                                RunResult* result, std::string* why) {
  *result = RunProgram({"/usr/bin/unshare", "-m", "/bin/sh", "-c", script});
  if (result->exit_code == 97 || Contains(result->err, "unshare failed")) {
    *why = what + ": " + result->err;
    return false;
  }
  return true;
}

}  // namespace tvault::testing

#endif  // TVAULT_TESTS_CLI_SHELL_SCRIPT_H_
