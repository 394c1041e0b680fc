// The fixture of the bundle tests: a monitor's store (the CliFixture's), a signing key "ana",
// and a central store with the demo facility registry, driven through the real binary.
#ifndef TVAULT_TESTS_CLI_BUNDLE_FIXTURE_H_
#define TVAULT_TESTS_CLI_BUNDLE_FIXTURE_H_

#include <algorithm>
#include <cstdlib>

#include "cli/cli_fixture.h"

namespace tvault::testing {

inline constexpr char kTwoPassLines[] = "passphrase\npassphrase\n";

inline bool Have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

class BundleCliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    RunResult r = RunTvault({"keys", "new-signer", "--out", Path("ana"), "--kdf", "interactive",
                             "--key-passphrase-fd", "3"},
                            "", kPassLine);
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
    central_ = Path("central");
    r = RunTvault({"init", "--store", central_, "--org-key", World().org_pub, "--kdf",
                   "interactive", "--monitor", "central", "--passphrase-fd", "3"},
                  "", kPassLine);
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
    r = OnCentral({"facility", "add", "--from", World().facilities_jsonl});
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  }

  RunResult OnCentral(std::vector<std::string> args, const std::string& fd3 = kPassLine) {
    args.insert(args.end(), {"--store", central_, "--passphrase-fd", "3"});
    return RunTvault(args, "", fd3);
  }

  RunResult Export(const std::string& out, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"bundle", "export", "--store", store(), "--passphrase-fd",
                                     "3", "--sign", Path("ana.key"), "--key-passphrase-fd", "3",
                                     "-o", out};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunTvault(args, "", kTwoPassLines);
  }

  RunResult Import(const std::vector<std::string>& files) {
    std::vector<std::string> args = {"bundle", "import", "--org-secret", World().org_key,
                                     "--key-passphrase-fd", "3"};
    args.insert(args.end(), files.begin(), files.end());
    return OnCentral(args, kTwoPassLines);
  }

  void Trust() {
    RunResult r = OnCentral({"trust", "add", Path("ana.pub"), "--name", "ana"});
    ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  }

  // `list --json` of the central store, as (id, version, deleted) lines.
  std::vector<std::string> CentralList() {
    RunResult r = OnCentral({"list", "--json", "--deleted"});
    EXPECT_EQ(r.exit_code, kOk) << Describe(r);
    std::vector<std::string> out;
    for (const std::string& line : SplitLines(r.out)) {
      auto row = ParseJsonObject(line);
      out.push_back(Field(row, "id") + " v" + Field(row, "version") + " " +
                    Field(row, "deleted"));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::vector<std::string> LocalList() {
    std::vector<std::string> out;
    for (const auto& row : ListJson({"--deleted"})) {
      out.push_back(Field(row, "id") + " v" + Field(row, "version") + " " +
                    Field(row, "deleted"));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string central_;
};

}  // namespace tvault::testing

#endif  // TVAULT_TESTS_CLI_BUNDLE_FIXTURE_H_
