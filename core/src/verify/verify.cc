// ReadReportFolder, VerifyReport (the order of the checks and what each needs) and the JSON
// form of the result.
#include <dirent.h>
#include <google/protobuf/util/json_util.h>
#include <sodium.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "tvault/report.h"
#include "util/file.h"
#include "verify/verify_internal.h"

namespace tvault {

using verify_internal::Parsed;

bool VerifyResult::passed() const {
  if (checks.empty()) return false;
  for (const VerifyCheck& c : checks) {
    if (!c.passed()) return false;
  }
  return true;
}

Result<ReportFolder> ReadReportFolder(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status(Code::kNotFound, dir + ": no such folder");
    return Status(Code::kIoError, dir + ": " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) return Status(Code::kInvalidArgument, dir + ": not a folder");
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return Status(Code::kIoError, dir + ": cannot read: " + std::strerror(errno));
  ReportFolder out;
  out.dir = dir;
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
      names.push_back(e->d_name);
    }
  }
  ::closedir(d);
  for (const std::string& name : names) {
    const std::string path = dir + "/" + name;
    struct stat fst;
    if (::lstat(path.c_str(), &fst) != 0 || !S_ISREG(fst.st_mode) ||
        static_cast<uint64_t>(fst.st_size) > kMaxReportFileBytes) {
      out.other_entries.push_back(name);
      continue;
    }
    Result<std::string> bytes = internal::ReadFile(path, kMaxReportFileBytes);
    if (!bytes.ok()) return bytes.status();
    out.files[name] = std::move(bytes).value();
  }
  return out;
}

namespace verify_internal {

std::string Parsed::Name(const std::string& file) const { return folder->dir + "/" + file; }

std::string TableName(const v1::ReportTable& t) { return t.period() + "/" + t.name(); }

std::string CellName(const v1::ReportCell& c) {
  std::string s = "[";
  for (int i = 0; i < c.labels_size(); ++i) s += (i ? ", " : "") + c.labels(i);
  return s + "]";
}

std::string CellKey(const std::string& period, const std::string& table,
                    const std::vector<std::string>& labels) {
  std::string k = period + "|" + table;
  for (const std::string& l : labels) k += "|" + l;
  return k;
}

std::string PeriodOf(const v1::Report& report, const v1::ReportTable& t) {
  if (t.period() == "month") return report.month();
  if (t.period() == "year_to_date") return report.month().substr(0, 4) + "-01.." + report.month();
  if (t.period() == "revision") return report.month().substr(0, 4) + " revision";
  return "";
}

void ParseFolder(const ReportFolder& folder, Parsed* out, VerifyCheck* check) {
  out->folder = &folder;
  out->parsed = true;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto parse = [&](const char* file, google::protobuf::Message* m) {
    auto it = folder.files.find(file);
    if (it == folder.files.end()) {
      check->failures.push_back({out->Name(file), "", "", "missing"});
      out->parsed = false;
      return;
    }
    auto st = google::protobuf::util::JsonStringToMessage(it->second, m, options);
    if (!st.ok()) {
      check->failures.push_back(
          {out->Name(file), "", "", "does not parse: " + std::string(st.message())});
      out->parsed = false;
    }
  };
  parse(kReportJsonFile, &out->report);
  parse(kManifestFile, &out->manifest);
}

}  // namespace verify_internal

Result<VerifyResult> VerifyReport(const VerifyRequest& request) {
  using namespace verify_internal;
  if ((request.store == nullptr) != (request.org == nullptr)) {
    return InvalidArgument("verify: a store needs its organisation key, and the reverse");
  }
  VerifyResult result;
  VerifyCheck integrity{kCheckIntegrity, true, {}, {}};
  std::vector<Parsed> parsed(1 + request.previous.size());
  ParseFolder(request.report, &parsed[0], &integrity);
  for (size_t i = 0; i < request.previous.size(); ++i) {
    ParseFolder(request.previous[i], &parsed[i + 1], &integrity);
  }
  bool all_parsed = true;
  for (const Parsed& p : parsed) {
    CheckIntegrity(p, request.signer, &integrity);
    all_parsed = all_parsed && p.parsed;
  }
  result.checks.push_back(std::move(integrity));

  std::vector<const Parsed*> reports;
  for (const Parsed& p : parsed) reports.push_back(&p);
  VerifyCheck shape{kCheckShape, all_parsed, {}, {}};
  VerifyCheck thresholds{kCheckThresholds, all_parsed, {}, {}};
  VerifyCheck attack{kCheckAttack, all_parsed, {}, {}};
  VerifyCheck checkpoints{kCheckCheckpoints, all_parsed, {}, {}};
  VerifyCheck store{kCheckStore, all_parsed, {}, {}};
  std::map<std::string, int64_t> true_values;
  if (!all_parsed) {
    for (VerifyCheck* c : {&shape, &thresholds, &attack, &checkpoints, &store}) {
      c->notes.push_back("not run: report.json or manifest.json of a report does not parse");
    }
  } else {
    for (const Parsed* p : reports) {
      CheckShape(*p, &shape);
      CheckThresholds(*p, &thresholds);
    }
    CheckCheckpoints(reports, request.proofs, request.store, &checkpoints);
    if (request.store != nullptr) {
      TVAULT_RETURN_IF_ERROR(
          CheckStore(parsed[0], *request.store, *request.org, &true_values, &store));
      // Earlier releases given beside it are what the ledger published too.
      for (size_t i = 1; i < parsed.size(); ++i) {
        if (parsed[i].report.basis().empty()) continue;
        TVAULT_RETURN_IF_ERROR(CheckLedgerCopy(parsed[i], *request.store, nullptr, &store));
      }
    }
    TVAULT_RETURN_IF_ERROR(CheckAttack(reports, request.store ? &true_values : nullptr,
                                       request.time_limit_seconds,
                                       request.previous_checked, request.witnesses,
                                       &attack));
  }
  result.checks.push_back(std::move(shape));
  result.checks.push_back(std::move(thresholds));
  result.checks.push_back(std::move(attack));
  result.checks.push_back(std::move(checkpoints));
  if (request.store != nullptr) result.checks.push_back(std::move(store));
  return result;
}

namespace {

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

}  // namespace

std::string VerifyResultJson(const VerifyResult& result) {
  std::string j = "{\n  \"passed\": " + std::string(result.passed() ? "true" : "false") +
                  ",\n  \"checks\": [";
  for (size_t i = 0; i < result.checks.size(); ++i) {
    const VerifyCheck& c = result.checks[i];
    j += std::string(i ? "," : "") + "\n    {\"name\": " + JsonString(c.name) +
         ", \"ran\": " + (c.ran ? "true" : "false") +
         ", \"passed\": " + (c.passed() ? "true" : "false") + ",\n     \"failures\": [";
    for (size_t f = 0; f < c.failures.size(); ++f) {
      const VerifyFailure& x = c.failures[f];
      j += std::string(f ? "," : "") + "\n       {\"file\": " + JsonString(x.file) +
           ", \"table\": " + JsonString(x.table) + ", \"cell\": " + JsonString(x.cell) +
           ", \"reason\": " + JsonString(x.reason) + "}";
    }
    j += "],\n     \"notes\": [";
    for (size_t n = 0; n < c.notes.size(); ++n) {
      j += std::string(n ? "," : "") + "\n       " + JsonString(c.notes[n]);
    }
    j += "]}";
  }
  return j + "\n  ]\n}\n";
}

}  // namespace tvault
