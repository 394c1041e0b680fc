// How argument-parser errors are reported (main.cc).
#ifndef TVAULT_CLI_PARSE_ERRORS_H_
#define TVAULT_CLI_PARSE_ERRORS_H_

#include <CLI/CLI.hpp>

#include <string>

namespace tvault::cli {

// The one-line message for a parse error of `argv` (without "tvault: "): an unknown command
// or option names the closest known one ("unknown command \"lsit\"; did you mean `list`?"),
// otherwise the parser's message and where to find help.
std::string ParseErrorMessage(const CLI::App& app, const CLI::ParseError& error, int argc,
                              char** argv);

}  // namespace tvault::cli

#endif  // TVAULT_CLI_PARSE_ERRORS_H_
