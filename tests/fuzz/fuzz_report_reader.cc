// Fuzz target: the report reader of `tvault verify` (core/src/verify/): a report folder
// (report.json, manifest.json, the CSVs, report.html and their .minisig files), packed into one
// input by fuzz::PackFolder, verified with the fixed signer key as the auditor's key. Every
// check runs that the folder allows, the attacker's problem included (with a short time limit),
// because each of them reads the published numbers.
//
// Contract beyond "no crash, no sanitizer report": verify either could not run (a Status with a
// message: only a solver failure or its time limit) or returned a result in which every failure
// names a file and a reason; and a folder that passes holds, for every file, a signature that
// verifies with the key, and the trusted comment of its name.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_common.h"
#include "tvault/report.h"
#include "tvault/verify.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tvault;
  fuzz::InitOrDie();
  static const SignerPublicKey* key = new SignerPublicKey(fuzz::FuzzSignerKey().public_key());
  VerifyRequest req;
  req.signer = *key;
  req.report.dir = "fuzz";
  req.report.files = fuzz::UnpackFolder(fuzz::AsText(data, size));
  req.time_limit_seconds = 2;
  Result<VerifyResult> result = VerifyReport(req);
  if (!result.ok()) {
    fuzz::Require(result.status().code() == Code::kUnsupported &&
                  !result.status().message().empty());
    return 0;
  }
  for (const VerifyCheck& c : result->checks) {
    for (const VerifyFailure& f : c.failures) fuzz::Require(!f.file.empty() && !f.reason.empty());
  }
  (void)VerifyResultJson(*result);
  if (!result->passed()) return 0;
  for (const auto& [name, bytes] : req.report.files) {
    if (name.size() > 8 && name.compare(name.size() - 8, 8, kSignatureSuffix) == 0) continue;
    auto sig = req.report.files.find(name + kSignatureSuffix);
    fuzz::Require(sig != req.report.files.end());
    Result<std::string> comment = VerifyMinisign(*key, bytes, sig->second);
    fuzz::Require(comment.ok() && comment->size() > name.size() &&
          comment->compare(comment->size() - name.size(), name.size(), name) == 0);
  }
  return 0;
}
