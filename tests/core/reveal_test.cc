// Store::RevealIdentity: the only way to read an identity back, and always logged.
#include <gtest/gtest.h>

#include "testing/test_util.h"
#include "tvault/store.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::ReadTree;
using testing::TempDir;

class RevealTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp_ / "org", Pass("org pass"), FastKdf()).ok());
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp_ / "other", Pass("org pass"), FastKdf()).ok());
    dir_ = tmp_ / "vault";
    CreateOptions opts;
    opts.kdf = FastKdf();
    ASSERT_TRUE(Store::Create(dir_, Pass("store pass"), *ReadOrgPublicKey(tmp_ / "org.pub"),
                              opts)
                    .ok());
    auto s = Store::Open(dir_, Pass("store pass"));
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    auto org = ReadOrgSecretKey(tmp_ / "org.key", Pass("org pass"));
    ASSERT_TRUE(org.ok()) << org.status().message();
    org_ = std::make_unique<OrgSecretKey>(std::move(org).value());
  }

  std::string AddOne(v1::Testimony t) {
    std::vector<InputRecord> v(1);
    v[0].where = "record 1";
    v[0].testimony = std::move(t);
    auto ids = store_->Add(std::move(v));
    EXPECT_TRUE(ids.ok()) << ids.status().message();
    return ids.ok() ? (*ids)[0] : "";
  }

  size_t LogSize() { return store_->AuditLog()->size(); }

  TempDir tmp_;
  std::string dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<OrgSecretKey> org_;
};

TEST_F(RevealTest, ReturnsTheIdentityAndLogsTheReveal) {
  const std::string id = AddOne(testing::SamplePushback("REVEALME"));
  const size_t before = LogSize();
  auto identity = store_->RevealIdentity(id, 0, *org_);
  ASSERT_TRUE(identity.ok()) << identity.status().message();
  EXPECT_EQ(identity->name(), "REVEALME-name");
  EXPECT_EQ(identity->phone(), "REVEALME-phone");

  std::vector<AuditEntry> log = *store_->AuditLog();
  ASSERT_EQ(log.size(), before + 1);
  const AuditEntry& e = log.back();
  EXPECT_EQ(e.action, "reveal");
  EXPECT_EQ(e.record_id, id);
  EXPECT_EQ(e.record_version, 1u);
  // The content hash names the version whose identity was opened: the add entry's hash.
  EXPECT_EQ(e.content_hash, log[before - 1].content_hash);
  EXPECT_EQ(e.actor, log[before - 1].actor);
  for (const AuditEntry& a : log) {
    EXPECT_EQ(testing::FindMarker(a.record_id + a.actor + a.content_hash, "REVEALME"), "");
  }
  EXPECT_TRUE(store_->VerifyLog({})->empty());
}

TEST_F(RevealTest, EarlierVersionAndKeptIdentityAfterAnEdit) {
  const std::string id = AddOne(testing::SamplePushback("FIRST"));
  InputRecord e;
  e.testimony = testing::SamplePushback("SECOND");
  ASSERT_TRUE(store_->Edit(id, std::move(e)).ok());
  EXPECT_EQ(store_->RevealIdentity(id, 1, *org_)->name(), "FIRST-name");
  EXPECT_EQ(store_->RevealIdentity(id, 0, *org_)->name(), "SECOND-name");
  std::vector<AuditEntry> log = *store_->AuditLog();
  EXPECT_EQ(log[log.size() - 2].record_version, 1u);
  EXPECT_EQ(log.back().record_version, 2u);
}

TEST_F(RevealTest, RefusalsWriteNothing) {
  const std::string id = AddOne(testing::SamplePushback("KEEP"));
  v1::Testimony anonymous = testing::SamplePushback("ANON");
  anonymous.clear_identity();
  const std::string anon_id = AddOne(anonymous);
  const std::string gone_id = AddOne(testing::SamplePushback("GONE"));
  ASSERT_TRUE(store_->Delete(gone_id, "entered twice").ok());
  auto other = ReadOrgSecretKey(tmp_ / "other.key", Pass("org pass"));
  ASSERT_TRUE(other.ok());

  const size_t before = LogSize();
  store_.reset();  // the files are compared with the store closed, WAL folded in
  const auto files = ReadTree(dir_);
  store_ = std::move(Store::Open(dir_, Pass("store pass"))).value();
  EXPECT_EQ(store_->RevealIdentity(id, 0, *other).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->RevealIdentity("00000000000000000000000000000000", 0, *org_).status().code(),
            Code::kNotFound);
  EXPECT_EQ(store_->RevealIdentity(id, 7, *org_).status().code(), Code::kNotFound);
  auto none = store_->RevealIdentity(anon_id, 0, *org_);
  EXPECT_EQ(none.status().code(), Code::kNotFound);
  EXPECT_NE(none.status().message().find("holds no identity"), std::string::npos);
  auto tomb = store_->RevealIdentity(gone_id, 0, *org_);
  EXPECT_EQ(tomb.status().code(), Code::kInvalidArgument);
  EXPECT_NE(tomb.status().message().find("deletion"), std::string::npos);
  EXPECT_EQ(LogSize(), before);
  store_.reset();
  EXPECT_EQ(ReadTree(dir_), files);
}

}  // namespace
}  // namespace tvault
