// Argument-parser errors as tvault reports every error: one line, "tvault: " first, with a
// suggestion when a command or option name looks mistyped.
#include "parse_errors.h"

#include <algorithm>
#include <string>
#include <vector>

namespace tvault::cli {
namespace {

// Edit distance counting a swap of two neighbouring letters as one edit ("lsit" -> "list"),
// for names of a few letters.
size_t Distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The name in `names` closest to `typed`, when it is close enough to be a slip: a prefix, or
// at most 2 edits (1 for short names).
std::string Closest(const std::string& typed, const std::vector<std::string>& names) {
  std::string best;
  size_t best_distance = std::string::npos;
  for (const std::string& n : names) {
    const size_t d = n.compare(0, typed.size(), typed) == 0 ? 0 : Distance(typed, n);
    if (d < best_distance) {
      best = n;
      best_distance = d;
    }
  }
  const size_t limit = typed.size() <= 3 ? 1 : 2;
  return best_distance <= limit ? best : "";
}

std::vector<std::string> SubcommandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

std::vector<std::string> LongOptionNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : app.get_options()) {
    for (const std::string& n : opt->get_lnames()) names.push_back("--" + n);
  }
  return names;
}

}  // namespace

std::string ParseErrorMessage(const CLI::App& app, const CLI::ParseError& error, int argc,
                              char** argv) {
  std::string message = error.what();
  // CLI11 sometimes ends a message with a newline or a full stop; keep one line.
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const CLI::App* level = &app;
  std::string path = "tvault";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.rfind("--", 0) == 0) {
      const std::string name = arg.substr(0, arg.find('='));
      bool known = name == "--help";
      for (const std::string& n : LongOptionNames(*level)) known = known || n == name;
      if (!known) {
        const std::string near = Closest(name, LongOptionNames(*level));
        if (!near.empty()) return message + "; did you mean `" + near + "`?";
        return message + " (see `" + path + " --help`)";
      }
      continue;
    }
    if (arg.rfind("-", 0) == 0) continue;
    const std::vector<std::string> subs = SubcommandNames(*level);
    if (subs.empty()) continue;  // a positional argument of the command
    if (std::find(subs.begin(), subs.end(), arg) != subs.end()) {
      level = level->get_subcommand(arg);
      path += " " + arg;
      continue;
    }
    const std::string near = Closest(arg, subs);
    if (!near.empty()) {
      return "unknown command \"" + arg + "\"; did you mean `" +
             (path == "tvault" ? "" : path.substr(7) + " ") + near + "`?";
    }
    return "unknown command \"" + arg + "\" (see `" + path + " --help`)";
  }
  return message + " (see `" + path + " --help`)";
}

}  // namespace tvault::cli
