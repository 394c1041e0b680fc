// RenderReport and WriteReportFolder: the published files, their manifest and signatures.
#include <google/protobuf/util/json_util.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>

#include "report/report_internal.h"
#include "tvault/report.h"
#include "util/file.h"

namespace tvault {
namespace report_internal {

std::string HexSha256(const std::string& bytes) {
  uint8_t h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : h) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

Result<std::string> CanonicalJson(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  auto st = google::protobuf::util::MessageToJsonString(m, &out, options);
  if (!st.ok()) return Internal("cannot write JSON: " + std::string(st.message()));
  return out;
}

}  // namespace report_internal

Result<std::vector<OutputFile>> RenderReport(const BuiltReport& built,
                                             const SignerSecretKey& signer) {
  std::vector<OutputFile> data;
  TVAULT_ASSIGN_OR_RETURN(std::string json, report_internal::CanonicalJson(built.report));
  data.push_back({kReportJsonFile, json});
  for (const v1::ReportTable& t : built.report.tables()) {
    data.push_back({report_internal::CsvFileName(built.report, t),
                    report_internal::RenderCsv(built.report, t)});
  }
  v1::Manifest manifest = built.manifest;
  manifest.set_signer_key_id(signer.public_key().KeyIdHex());
  data.push_back({kReportHtmlFile, report_internal::RenderHtml(built.report, manifest)});
  for (const OutputFile& f : data) {
    v1::ManifestFile* mf = manifest.add_files();
    mf->set_name(f.name);
    mf->set_sha256(report_internal::HexSha256(f.bytes));
  }
  TVAULT_ASSIGN_OR_RETURN(std::string manifest_json, report_internal::CanonicalJson(manifest));
  data.push_back({kManifestFile, manifest_json});

  std::vector<OutputFile> out;
  for (OutputFile& f : data) {
    // The trusted comment binds the signature to the file's name and the report's month, so
    // a signed CSV cannot be passed off as another table or another month (or a revision's
    // file as the monthly release's).
    TVAULT_ASSIGN_OR_RETURN(
        std::string sig,
        signer.Sign(f.bytes, "tvault report " + built.report.month() +
                                 (built.report.kind() == "revision" ? " revision" : "") +
                                 " file:" + f.name));
    out.push_back(std::move(f));
    out.push_back({out.back().name + kSignatureSuffix, std::move(sig)});
  }
  return out;
}

Status CheckReportFolder(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return Status(Code::kIoError, dir + ": " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status(Code::kAlreadyExists, dir + ": exists and is not a folder");
  }
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    return Status(Code::kIoError, dir + ": cannot read the folder: " + std::strerror(errno));
  }
  bool empty = true;
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) empty = false;
  }
  ::closedir(d);
  if (!empty) {
    return Status(Code::kAlreadyExists,
                  dir + ": the folder is not empty; refusing to mix two reports");
  }
  return Status::Ok();
}

Status WriteReportFolder(const std::string& dir, const std::vector<OutputFile>& files) {
  TVAULT_RETURN_IF_ERROR(CheckReportFolder(dir));
  // The files go into a temporary sibling folder, which is renamed to `dir` once every file is
  // written and synced: a report killed midway leaves no half-written folder under the name
  // asked for, only `<dir>.tmp.XXXXXX` beside it (docs/cli.md). rename() replaces an empty
  // `dir` and refuses one that filled up meanwhile.
  std::string base = dir;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  std::string tmpl = base + ".tmp.XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    return Status(Code::kIoError, dir + ": cannot create a folder beside it: " +
                                      std::strerror(errno));
  }
  const std::string tmp = tmpl;
  const mode_t mask = ::umask(0);
  ::umask(mask);
  std::vector<std::string> written;
  auto remove_tmp = [&]() {
    for (const std::string& p : written) ::unlink(p.c_str());
    ::rmdir(tmp.c_str());
  };
  Status s = [&]() -> Status {
    if (::chmod(tmp.c_str(), 0755 & ~mask) != 0) return internal::ErrnoStatus(tmp, errno);
    for (const OutputFile& f : files) {
      if (f.name.empty() || f.name.find('/') != std::string::npos || f.name[0] == '.') {
        return Internal("report file name \"" + f.name + "\" is not a plain name");
      }
      const std::string path = tmp + "/" + f.name;
      TVAULT_RETURN_IF_ERROR(internal::WriteNewFile(path, f.bytes, 0644));
      written.push_back(path);
    }
    TVAULT_RETURN_IF_ERROR(internal::SyncDir(tmp));
    if (::rename(tmp.c_str(), base.c_str()) != 0) {
      const int err = errno;
      // Some file systems (FAT through FUSE) refuse to rename a folder over an empty one.
      if (internal::PathExists(base) && CheckReportFolder(base).ok() &&
          ::rmdir(base.c_str()) == 0 && ::rename(tmp.c_str(), base.c_str()) == 0) {
        return internal::SyncDir(internal::DirName(base));
      }
      if (err == ENOTEMPTY || err == EEXIST || err == ENOTDIR) {
        return Status(Code::kAlreadyExists,
                      dir + ": the folder appeared meanwhile; refusing to mix two reports");
      }
      return internal::ErrnoStatus(dir, err);
    }
    return internal::SyncDir(internal::DirName(base));
  }();
  if (!s.ok() && internal::PathExists(tmp)) remove_tmp();
  return s;
}

}  // namespace tvault
