// The report_facts table (core/src/store/report_facts.h) through the public API, on real
// stores on disk: it follows every add, edit and delete, a store made before it existed gets
// it filled when opened, and it holds nothing a report does not count.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "testing/test_util.h"
#include "pipeline/table_set.h"
#include "verify/verify_internal.h"
#include "tvault/demo.h"
#include "tvault/report.h"
#include "tvault/store.h"

namespace tvault {
namespace {

using testing::ExpectReportFactsMatchBodies;
using testing::FastKdf;
using testing::Pass;
using testing::TempDir;

class ReportFactsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp_ / "org", Pass("org pass"), FastKdf()).ok());
    auto secret = ReadOrgSecretKey(tmp_ / "org.key", Pass("org pass"));
    ASSERT_TRUE(secret.ok());
    org_ = std::make_unique<OrgSecretKey>(std::move(secret).value());
    dir_ = tmp_ / "vault";
    CreateOptions opts;
    opts.kdf = FastKdf();
    opts.monitor_id = "mon-07";
    ASSERT_TRUE(
        Store::Create(dir_, Pass("store pass"), *ReadOrgPublicKey(tmp_ / "org.pub"), opts).ok());
    store_ = Open();
    ASSERT_TRUE(store_->AddFacilities(DemoFacilities()).ok());
  }

  std::unique_ptr<Store> Open() {
    auto s = Store::Open(dir_, Pass("store pass"));
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  std::vector<std::string> AddDemo(uint64_t count) {
    DemoOptions o;
    o.count = count;
    o.seed = 11;
    std::vector<InputRecord> in;
    for (auto& t : GenerateDemoTestimonies(o)) in.push_back({"demo", std::move(t)});
    auto ids = store_->Add(std::move(in));
    EXPECT_TRUE(ids.ok()) << ids.status().message();
    return ids.ok() ? *ids : std::vector<std::string>();
  }

  TempDir tmp_;
  std::string dir_;
  std::unique_ptr<OrgSecretKey> org_;
  std::unique_ptr<Store> store_;
};

TEST_F(ReportFactsTest, FollowsEveryAddEditAndDelete) {
  std::vector<std::string> ids = AddDemo(60);
  ExpectReportFactsMatchBodies(*store_, *org_);

  // An edit that moves a pushback to another month and changes what it counts.
  std::string moved;
  for (const std::string& id : ids) {
    if (store_->Get(id)->testimony.has_pushback()) moved = id;
  }
  ASSERT_FALSE(moved.empty());
  v1::Testimony t = store_->Get(moved)->testimony;
  const std::string old_month = store_->Get(moved)->info.incident_month;
  t.mutable_pushback()->set_incident_date(old_month == "2025-12" ? "2025-11-03" : "2025-12-03");
  t.mutable_pushback()->set_group_size(t.pushback().group_size() + 5);
  t.mutable_pushback()->clear_violence();
  t.mutable_pushback()->add_violence(v1::DOG_ATTACK);
  auto edited = store_->Edit(moved, {"edit", t});
  ASSERT_TRUE(edited.ok()) << edited.status().message();
  EXPECT_NE(store_->Get(moved)->info.incident_month, old_month);
  // Only the new latest version waits for its pseudonym.
  auto derived = store_->DerivePseudonyms(*org_);
  ASSERT_TRUE(derived.ok());
  EXPECT_EQ(*derived, 1u);
  ExpectReportFactsMatchBodies(*store_, *org_);

  // A deleted record leaves the facts; the others stay.
  ASSERT_TRUE(store_->Delete(ids[3], "duplicate").ok());
  ASSERT_TRUE(store_->Delete(moved, "entered twice").ok());
  ExpectReportFactsMatchBodies(*store_, *org_);
  ASSERT_TRUE(store_->ScanForReport("0000-01", "9999-12", [&](ScannedRecord&& r) {
    EXPECT_NE(r.version.info.id, ids[3]);
    EXPECT_NE(r.version.info.id, moved);
    return Status::Ok();
  }).ok());
}

// A store of schema version 4 (made before report_facts, the ledger, the search index and
// drafts) is brought up to date when opened: the table is created and filled from the stored
// latest versions in the same transaction, and the ledger's and drafts' tables are made empty.
TEST_F(ReportFactsTest, AnOlderStoreIsFilledWhenOpened) {
  std::vector<std::string> ids = AddDemo(40);
  ASSERT_TRUE(store_->Delete(ids[0], "duplicate").ok());
  store_.reset();
  const std::string out = testing::RunSqlcipher(
      dir_, "store pass",
      "DROP TABLE report_facts; DROP TABLE ledger_counted; DROP TABLE ledger_releases; "
      "DROP TABLE search_text; DROP TABLE search_docs; DROP TABLE drafts; "
      + std::string(testing::kUndoMigration10Sql) + testing::kUndoMigration9Sql +
      "PRAGMA user_version = 4; PRAGMA user_version;"
      "SELECT count(*) FROM sqlite_master WHERE name = 'report_facts';");
  ASSERT_NE(out.find("4\n0\n"), std::string::npos) << out;

  store_ = Open();
  ASSERT_NE(store_, nullptr);
  ExpectReportFactsMatchBodies(*store_, *org_);
  uint64_t scanned = 0;
  ASSERT_TRUE(store_->ScanForReport("0000-01", "9999-12", [&](ScannedRecord&&) {
    ++scanned;
    return Status::Ok();
  }).ok());
  EXPECT_EQ(scanned, 39u);
  Result<std::vector<v1::LedgerRelease>> ledger = store_->Releases("");
  ASSERT_TRUE(ledger.ok()) << ledger.status().message();
  EXPECT_TRUE(ledger->empty());
  store_.reset();
  EXPECT_NE(testing::RunSqlcipher(dir_, "store pass", "PRAGMA user_version;").find("10"),
            std::string::npos);
}

// What the table holds, read with the stock sqlcipher shell: no narrative, identity, date or
// place of any testimony, only what the tables count.
TEST_F(ReportFactsTest, HoldsNothingTheReportDoesNotCount) {
  std::vector<InputRecord> in(1);
  in[0].where = "record 1";
  in[0].testimony = testing::SamplePushback("FACTSMARK");
  ASSERT_TRUE(store_->Add(std::move(in)).ok());
  store_.reset();
  const std::string out =
      testing::RunSqlcipher(dir_, "store pass", "SELECT hex(facts) FROM report_facts;");
  ASSERT_EQ(out.find("Error"), std::string::npos) << out;
  std::string bytes;
  for (size_t i = 0; i + 1 < out.size() && std::isxdigit(static_cast<unsigned char>(out[i]));
       i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(out.substr(i, 2), nullptr, 16)));
  }
  ASSERT_FALSE(bytes.empty()) << out;
  EXPECT_EQ(testing::FindMarker(bytes, "FACTSMARK"), "");
  v1::Testimony view;
  ASSERT_TRUE(view.ParseFromString(bytes));
  EXPECT_TRUE(view.narrative().empty());
  EXPECT_TRUE(view.sealed_identity().empty());
  EXPECT_TRUE(view.pushback().incident_date().empty());
  EXPECT_FALSE(view.pushback().has_location());
  EXPECT_FALSE(view.pushback().pushed_from().empty());
}

// verify's true counts (the full audit's exact verdict) type each facility from the registry as
// report does, so every facility_type_conditions cell has a true value under the label the
// report publishes. (They had an empty type label, so no cell of that table ever matched and
// the audit fell back to its weaker check there.)
TEST_F(ReportFactsTest, VerifyTrueCountsTypeFacilitiesFromTheRegistry) {
  AddDemo(200);
  ASSERT_TRUE(store_->DerivePseudonyms(*org_).ok());
  auto settings = CompleteReportSettings(v1::ReportSettings());
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  std::map<std::string, int64_t> truth;
  ASSERT_TRUE(verify_internal::TrueCounts(*store_, "2026-10", *settings, &truth).ok());
  const std::set<std::string> types = {"reception", "asylum",        "transit",
                                       "detention", "informal_site", "other"};
  std::set<std::string> rows;
  for (const auto& [key, value] : truth) {
    const std::string table = "|facility_type_conditions|";
    const size_t at = key.find(table);
    if (at == std::string::npos) continue;
    const std::string row = key.substr(at + table.size(), key.find('|', at + table.size()) -
                                                              at - table.size());
    if (row == pipeline::kTotalLabel) continue;
    EXPECT_EQ(types.count(row), 1u) << key;
    rows.insert(row);
  }
  // The demo registry has several types; ignoring it would type every facility "other".
  EXPECT_GT(rows.size(), 1u);
}

}  // namespace
}  // namespace tvault
