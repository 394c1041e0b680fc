// A fixture for the integration tests of `report` and `verify`: the CliFixture store filled with
// generated testimonies, an analyst signing key, and a helper that runs `report` with the
// three passphrases on one descriptor.
#ifndef TVAULT_TESTS_CLI_REPORT_FIXTURE_H_
#define TVAULT_TESTS_CLI_REPORT_FIXTURE_H_

#include "cli_fixture.h"

namespace tvault::testing {

// Store, org key and signer key passphrases, in the order `report` reads them.
inline constexpr char kThreePasses[] = "passphrase\npassphrase\npassphrase\n";

class ReportFixture : public CliFixture {
 protected:
  // Makes analyst.key/.pub in the work directory and adds `count` demo testimonies.
  void SetUpReporting(int count) {
    RunResult r = RunTvault({"keys", "new-signer", "--out", Path("analyst"), "--kdf",
                             "interactive", "--key-passphrase-fd", "3"},
                            "", kPassLine);
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
    r = RunTvault({"demo-data", "--count", std::to_string(count), "--seed", "11"});
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
    TvOk({"add", "--from", WriteWork("demo.jsonl", r.out)});
  }

  // `report` of `month` into `out`, with `passes` on fd 3.
  RunResult Report(const std::string& out, const std::string& month = "2026-01",
                   const std::string& passes = kThreePasses) const {
    return RunTvault({"report", "--store", store(), "--org-secret", World().org_key, "--sign",
                      Path("analyst.key"), "--month", month, "--out", out, "--passphrase-fd",
                      "3", "--org-passphrase-fd", "3", "--sign-passphrase-fd", "3"},
                     "", passes);
  }
};

}  // namespace tvault::testing

#endif  // TVAULT_TESTS_CLI_REPORT_FIXTURE_H_
