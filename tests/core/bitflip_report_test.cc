// Bit flips in a published report: every single-bit change of report.json, manifest.json and
// one CSV of a small real report (one table, signed) fails verify's integrity check, with a
// failure that names the altered file; none passes, none crashes.
//
// The integrity check is verify's first, and the one that must catch any altered byte. Its cost
// is almost all Ed25519 (two verifications per file), about 0.7 ms per flip for the whole
// folder, too much for the ~40,000 flips of this report in CI (twice, with the sanitizers). So
// each flip runs it as VerifyReport does (ParseFolder, then CheckIntegrity) on the files the
// flip can concern: the altered file and report.json and manifest.json (which parse the folder
// and list the hashes), each with its signature; the other files are then reported missing,
// which the test ignores. Every 64th flip runs the full VerifyReport (every check, the
// attacker's LP included) on the whole folder, which must fail too with an integrity failure
// naming the file.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "testing/bitflip.h"
#include "testing/report_forge.h"
#include "testing/test_util.h"
#include "tvault/demo.h"
#include "tvault/report.h"
#include "tvault/verify.h"
#include "verify/verify_internal.h"

namespace tvault {
namespace {

using testing::Flip;
using testing::Pass;
using testing::TempDir;

class ReportBitFlips : public ::testing::Test {
 protected:
  // One small report, made once: 60 demo testimonies, the table people_by_route of March (and
  // the trend and year-to-date tables that go with it).
  static void SetUpTestSuite() {
    TempDir tmp;
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp / "org", Pass("pw"), testing::FastKdf()).ok());
    auto org = ReadOrgSecretKey(tmp / "org.key", Pass("pw"));
    ASSERT_TRUE(org.ok());
    auto signer = SignerSecretKey::Generate();
    ASSERT_TRUE(signer.ok());
    key_ = new SignerPublicKey(signer->public_key());
    CreateOptions opts;
    opts.kdf = testing::FastKdf();
    ASSERT_TRUE(Store::Create(tmp / "vault", Pass("pw"), org->public_key(), opts).ok());
    auto store = Store::Open(tmp / "vault", Pass("pw"));
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->AddFacilities(DemoFacilities()).ok());
    DemoOptions demo;
    demo.count = 20;
    demo.seed = 7;
    demo.until_month = "2026-03";
    std::vector<InputRecord> in;
    for (v1::Testimony& t : GenerateDemoTestimonies(demo)) in.push_back({"demo", std::move(t)});
    ASSERT_TRUE((*store)->Add(std::move(in)).ok());
    ReportRequest req;
    req.month = "2026-03";
    v1::ReportSettings settings;
    settings.add_tables("people_by_route");
    req.settings = *CompleteReportSettings(settings);
    auto built = BuildReport(**store, *org, req);
    ASSERT_TRUE(built.ok()) << built.status().message();
    auto files = RenderReport(*built, *signer);
    ASSERT_TRUE(files.ok());
    folder_ = new testing::Folder(testing::ToFolder(*files));
  }
  static void TearDownTestSuite() {
    delete key_;
    delete folder_;
  }

  static VerifyResult Verify(const testing::Folder& files) {
    VerifyRequest req;
    req.signer = *key_;
    req.report.dir = "report-2026-03";
    req.report.files = files;
    Result<VerifyResult> r = VerifyReport(req);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : VerifyResult();
  }

  // Whether `check` holds a failure naming `file` with a reason.
  static bool Names(const VerifyCheck& check, const std::string& file) {
    for (const VerifyFailure& f : check.failures) {
      if (f.file == file && !f.reason.empty()) return true;
    }
    return false;
  }

  // Flips every bit of file `name` in turn; each altered folder must fail the integrity check
  // with a failure naming that file (and every 64th the full verify). Returns how many did.
  static size_t ExpectEveryFlipFails(const std::string& name) {
    const std::string original = folder_->at(name);
    const std::string named = "report-2026-03/" + name;
    ReportFolder altered{"report-2026-03", {}, {}};
    for (const std::string& f : {name, std::string(kReportJsonFile), std::string(kManifestFile)}) {
      altered.files[f] = folder_->at(f);
      altered.files[f + kSignatureSuffix] = folder_->at(f + kSignatureSuffix);
    }
    size_t failed = 0, full = 0;
    const auto start = std::chrono::steady_clock::now();
    for (size_t bit = 0; bit < original.size() * 8; ++bit) {
      altered.files[name] = Flip(original, bit);
      verify_internal::Parsed parsed;
      VerifyCheck integrity{kCheckIntegrity, true, {}, {}};
      verify_internal::ParseFolder(altered, &parsed, &integrity);
      verify_internal::CheckIntegrity(parsed, *key_, &integrity);
      bool ok = Names(integrity, named);
      if (bit % 64 == 0) {
        testing::Folder whole = *folder_;
        whole[name] = altered.files[name];
        const VerifyResult r = Verify(whole);
        ok = ok && !r.passed() && !r.checks.empty() && Names(r.checks[0], named);
        ++full;
      }
      if (!ok) {
        ADD_FAILURE() << name << ": bit " << bit << " (byte " << bit / 8
                      << ") flipped: no integrity failure names the file";
        if (failed + 16 < bit) break;  // Broken: stop before a flood of failures.
        continue;
      }
      ++failed;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("bit flips: %s (%zu bytes): %zu of %zu fail integrity, naming the file; %zu "
                "of them through the full verify (%.1f s)\n",
                name.c_str(), original.size(), failed, original.size() * 8, full, seconds);
    return failed;
  }

  static SignerPublicKey* key_;
  static testing::Folder* folder_;
};

SignerPublicKey* ReportBitFlips::key_ = nullptr;
testing::Folder* ReportBitFlips::folder_ = nullptr;

TEST_F(ReportBitFlips, TheUnalteredReportPasses) {
  const VerifyResult r = Verify(*folder_);
  EXPECT_TRUE(r.passed());
  EXPECT_EQ(r.checks.size(), 5u);  // Every check but the store's ran and passed.
}

TEST_F(ReportBitFlips, EveryBitOfReportJson) {
  const size_t bits = folder_->at(kReportJsonFile).size() * 8;
  EXPECT_EQ(ExpectEveryFlipFails(kReportJsonFile), bits);
}

TEST_F(ReportBitFlips, EveryBitOfManifestJson) {
  const size_t bits = folder_->at(kManifestFile).size() * 8;
  EXPECT_EQ(ExpectEveryFlipFails(kManifestFile), bits);
}

TEST_F(ReportBitFlips, EveryBitOfACsv) {
  const std::string csv = "2026-03-month-people_by_route.csv";
  ASSERT_EQ(folder_->count(csv), 1u);
  EXPECT_EQ(ExpectEveryFlipFails(csv), folder_->at(csv).size() * 8);
}

}  // namespace
}  // namespace tvault
