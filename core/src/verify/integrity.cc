// Check 1, integrity: the folder holds exactly the files its manifest lists (plus the manifest
// and one signature per file), each file's minisign signature verifies with the auditor's key
// and carries the trusted comment "tvault report <month> file:<name>" ("tvault report <month>
// revision file:<name>" for a revision), and each file's SHA-256
// is the manifest's. The stock equivalents are `minisign -V` and `sha256sum -c`.
#include <set>

#include "tvault/report.h"
#include "verify/verify_internal.h"

namespace tvault::verify_internal {

void CheckIntegrity(const Parsed& p, const SignerPublicKey& key, VerifyCheck* check) {
  const ReportFolder& folder = *p.folder;
  for (const std::string& other : folder.other_entries) {
    check->failures.push_back(
        {p.Name(other), "", "", "not a regular file of a report (or larger than the limit)"});
  }
  // Signatures are checked on every file present, even when the manifest does not parse, so
  // that the auditor learns which files are authentic.
  std::string month = p.parsed ? p.manifest.month() : "";
  // A revision's files are signed as such, so that they cannot pass for the monthly release's.
  const std::string revision = p.parsed && p.report.kind() == "revision" ? " revision" : "";
  size_t signed_ok = 0;
  for (const auto& [name, bytes] : folder.files) {
    const std::string suffix = kSignatureSuffix;
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      if (folder.files.count(name.substr(0, name.size() - suffix.size())) == 0) {
        check->failures.push_back({p.Name(name), "", "", "a signature of no file"});
      }
      continue;
    }
    auto sig = folder.files.find(name + kSignatureSuffix);
    if (sig == folder.files.end()) {
      check->failures.push_back({p.Name(name), "", "", "no signature (" + name +
                                                           kSignatureSuffix + " is missing)"});
      continue;
    }
    Result<std::string> comment = VerifyMinisign(key, bytes, sig->second);
    if (!comment.ok()) {
      check->failures.push_back({p.Name(name), "", "",
                                 "signature does not verify with key " + key.KeyIdHex() + ": " +
                                     comment.status().message()});
      continue;
    }
    const std::string expected = "tvault report " + month + revision + " file:" + name;
    if (p.parsed && *comment != expected) {
      check->failures.push_back({p.Name(name), "", "",
                                 "signed for another file or month: trusted comment \"" +
                                     *comment + "\", expected \"" + expected + "\""});
      continue;
    }
    ++signed_ok;
  }
  if (!p.parsed) return;

  const v1::Manifest& m = p.manifest;
  if (m.signer_key_id() != key.KeyIdHex()) {
    check->failures.push_back({p.Name(kManifestFile), "", "",
                               "names signer key " + m.signer_key_id() + ", expected " +
                                   key.KeyIdHex()});
  }
  std::set<std::string> expected = {kManifestFile, std::string(kManifestFile) + kSignatureSuffix};
  size_t hashes_ok = 0;
  for (const v1::ManifestFile& f : m.files()) {
    if (!expected.insert(f.name()).second || f.name() == kManifestFile) {
      check->failures.push_back({p.Name(kManifestFile), "", "",
                                 "lists \"" + f.name() + "\" twice or lists itself"});
      continue;
    }
    expected.insert(f.name() + kSignatureSuffix);
    auto it = folder.files.find(f.name());
    if (it == folder.files.end()) {
      check->failures.push_back({p.Name(f.name()), "", "", "listed in the manifest but missing"});
      continue;
    }
    const std::string actual = HexSha256(it->second);
    if (actual != f.sha256()) {
      check->failures.push_back({p.Name(f.name()), "", "",
                                 "SHA-256 " + actual + " differs from the manifest's " +
                                     f.sha256()});
      continue;
    }
    ++hashes_ok;
  }
  for (const auto& [name, bytes] : folder.files) {
    if (expected.count(name) == 0) {
      check->failures.push_back({p.Name(name), "", "", "not listed in the manifest (extra file)"});
    }
  }
  for (const std::string& name : expected) {
    if (folder.files.count(name) == 0 && name.find(kSignatureSuffix) != std::string::npos) {
      check->failures.push_back({p.Name(name), "", "", "missing"});
    }
  }
  check->notes.push_back(folder.dir + ": " + std::to_string(signed_ok) + " of " +
                         std::to_string(folder.files.size() / 2) +
                         " files signed by key " + key.KeyIdHex() + ", " +
                         std::to_string(hashes_ok) + " of " + std::to_string(m.files_size()) +
                         " manifest hashes match");
}

}  // namespace tvault::verify_internal
