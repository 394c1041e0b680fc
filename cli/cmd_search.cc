// tvault search: the live testimonies whose latest version matches words and filters.
#include <algorithm>
#include <cctype>
#include <iostream>

#include "commands.h"
#include "common.h"
#include "render.h"
#include "tvault/search.h"

namespace tvault::cli {
namespace {

// "dog_attack" or "DOG_ATTACK" -> DOG_ATTACK. Throws CliError (usage) for an unknown name.
v1::ViolenceType ParseViolence(const std::string& name) {
  std::string upper = name;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  v1::ViolenceType v = v1::VIOLENCE_TYPE_UNSPECIFIED;
  if (!v1::ViolenceType_Parse(upper, &v) || v == v1::VIOLENCE_TYPE_UNSPECIFIED) {
    std::string names;
    for (int i = v1::ViolenceType_MIN + 1; i <= v1::ViolenceType_MAX; ++i) {
      if (!v1::ViolenceType_IsValid(i)) continue;
      std::string n = v1::ViolenceType_Name(static_cast<v1::ViolenceType>(i));
      std::transform(n.begin(), n.end(), n.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      names += (names.empty() ? "" : ", ") + n;
    }
    throw CliError(kExitUsage, "--violence: unknown type \"" + name + "\" (one of: " + names +
                                   ")");
  }
  return v;
}

// An ISO 3166-1 alpha-2 code, upper-cased. Throws CliError (usage) naming `flag` otherwise.
std::string ParseCountry(const std::string& flag, const std::string& code) {
  if (code.size() != 2 || !std::isalpha(static_cast<unsigned char>(code[0])) ||
      !std::isalpha(static_cast<unsigned char>(code[1]))) {
    throw CliError(kExitUsage, flag + ": \"" + code + "\" is not a two-letter country code");
  }
  return {static_cast<char>(std::toupper(static_cast<unsigned char>(code[0]))),
          static_cast<char>(std::toupper(static_cast<unsigned char>(code[1])))};
}

}  // namespace

void RegisterSearch(CLI::App& app) {
  struct Opts {
    StoreFlags store;
    std::string text, kind, month, from, to, facility;
    std::vector<std::string> violence, nationalities;
    size_t limit = 0;
    bool json = false;
  };
  auto opts = std::make_shared<Opts>();
  CLI::App* cmd = app.add_subcommand(
      "search",
      "Find testimonies by words in their narrative and free-text fields, and by filters. "
      "QUERY: words (all must occur), \"a phrase\", prefix* , a OR b; case and accents are "
      "ignored. QUERY - reads it from standard input, keeping it out of the shell's history. "
      "Queries are never logged or stored.");
  AddStoreFlags(cmd, &opts->store);
  cmd->add_option("query", opts->text, "What to search for (docs/cli.md, \"search\"); - reads "
                                       "one line from standard input");
  cmd->add_option("--kind", opts->kind, "Only pushback or facility");
  cmd->add_option("--month", opts->month, "Only incidents of this month (YYYY-MM)");
  cmd->add_option("--violence", opts->violence,
                  "Only pushbacks reporting this violence type, e.g. dog_attack (repeat: all)");
  cmd->add_option("--from", opts->from, "Only pushbacks from this country (ISO code)");
  cmd->add_option("--to", opts->to, "Only pushbacks to this country (ISO code)");
  cmd->add_option("--nationality", opts->nationalities,
                  "Only pushbacks whose group includes this nationality (repeat: all)");
  cmd->add_option("--facility", opts->facility, "Only testimonies about this facility id");
  cmd->add_option("--limit", opts->limit, "At most this many results (0: all)");
  cmd->add_flag("--json", opts->json, "One JSON object per line");
  cmd->callback([opts]() {
    SearchQuery q;
    q.text = opts->text;
    if (q.text == "-") {
      if (!std::getline(std::cin, q.text)) q.text.clear();
    }
    if (!opts->kind.empty()) q.kind = ParseKind(opts->kind);
    if (!opts->month.empty()) q.month = ParseMonth("--month", opts->month);
    for (const std::string& v : opts->violence) q.violence.push_back(ParseViolence(v));
    if (!opts->from.empty()) q.pushed_from = ParseCountry("--from", opts->from);
    if (!opts->to.empty()) q.pushed_to = ParseCountry("--to", opts->to);
    for (const std::string& n : opts->nationalities) {
      q.nationalities.push_back(ParseCountry("--nationality", n));
    }
    q.facility_id = opts->facility;
    q.limit = opts->limit;
    // A malformed query is a bad argument, like a malformed flag, and fails before the store
    // is opened (no passphrase asked for nothing).
    Result<std::string> match = SearchMatchExpression(q.text);
    if (!match.ok()) throw CliError(kExitUsage, match.status().message());

    StoreRef store = OpenStoreForReading(opts->store);
    Result<std::vector<RecordInfo>> found = store->Search(q);
    if (found.status().code() == Code::kInvalidArgument) {
      throw CliError(kExitUsage, found.status().message());
    }
    std::vector<RecordInfo> rows = Check(std::move(found));
    if (opts->json) {
      for (const RecordInfo& r : rows) std::cout << RecordInfoJson(r) << "\n";
      return;
    }
    PrintRecordTable(rows);
  });
}

}  // namespace tvault::cli
