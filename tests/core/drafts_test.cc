// Drafts in the store (tvault/drafts.h), through the public API on real SQLCipher files:
// saved with their identity sealed, listed, found by prefix, finished into a record or a new
// version in one transaction, discarded; never a record, never in the audit log.
#include <gtest/gtest.h>

#include "testing/test_util.h"
#include "tvault/store.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::TempDir;

class DraftsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp_ / "org", Pass("org pass"), FastKdf()).ok());
    dir_ = tmp_ / "vault";
    CreateOptions opts;
    opts.kdf = FastKdf();
    opts.monitor_id = "mon-07";
    ASSERT_TRUE(
        Store::Create(dir_, Pass("store pass"), *ReadOrgPublicKey(tmp_ / "org.pub"), opts).ok());
    auto s = Store::Open(dir_, Pass("store pass"));
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    auto org = ReadOrgSecretKey(tmp_ / "org.key", Pass("org pass"));
    ASSERT_TRUE(org.ok()) << org.status().message();
    org_ = std::make_unique<OrgSecretKey>(std::move(org).value());
  }

  // A half-finished pushback: some answers, an identity typed, no narrative yet.
  Draft Partial(const std::string& name) {
    Draft d;
    d.kind = v1::PUSHBACK;
    d.step = 7;
    v1::Pushback* p = d.testimony.mutable_pushback();
    d.testimony.set_kind(v1::PUSHBACK);
    p->set_date_precision(v1::MONTH);
    p->set_incident_date("2024-03-01");
    p->set_pushed_from("HR");
    d.testimony.mutable_identity()->set_name(name);
    return d;
  }

  TempDir tmp_;
  std::string dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<OrgSecretKey> org_;
};

TEST_F(DraftsTest, SavedDraftHoldsSealedIdentityAndIsNoRecord) {
  const size_t log_before = store_->AuditLog()->size();
  Result<std::string> id = store_->SaveDraft(Partial("Draft Person"));
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(id->size(), 32u);

  Result<std::vector<Draft>> all = store_->ListDrafts();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  const Draft d = (*all)[0];
  EXPECT_EQ(d.id, *id);
  EXPECT_EQ(d.kind, v1::PUSHBACK);
  EXPECT_EQ(d.step, 7u);
  EXPECT_FALSE(d.created_at.empty());
  EXPECT_FALSE(d.testimony.has_identity()) << "a draft never gives its identity back";
  EXPECT_FALSE(d.testimony.sealed_identity().empty());
  EXPECT_EQ(d.testimony.pushback().pushed_from(), "HR");

  // Not a record, not logged.
  EXPECT_TRUE(store_->List({})->empty());
  EXPECT_EQ(store_->AuditLog()->size(), log_before);

  // Found by a prefix; a short or unknown prefix is refused.
  Result<Draft> by_prefix = store_->GetDraft(id->substr(0, 6));
  ASSERT_TRUE(by_prefix.ok()) << by_prefix.status().message();
  EXPECT_EQ(by_prefix->id, *id);
  EXPECT_EQ(store_->GetDraft("ab").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->GetDraft(std::string(32, id->at(0) == '0' ? '1' : '0')).status().code(),
            Code::kNotFound);

  // Saving again replaces it.
  Draft again = *by_prefix;
  again.step = 9;
  again.testimony.mutable_pushback()->set_pushed_to("BA");
  ASSERT_TRUE(store_->SaveDraft(again).ok());
  all = store_->ListDrafts();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].step, 9u);
  EXPECT_EQ((*all)[0].testimony.pushback().pushed_to(), "BA");
  EXPECT_EQ((*all)[0].testimony.sealed_identity(), d.testimony.sealed_identity())
      << "resaving without a new identity keeps the sealed one";

  ASSERT_TRUE(store_->DiscardDraft(*id).ok());
  EXPECT_TRUE(store_->ListDrafts()->empty());
  EXPECT_EQ(store_->DiscardDraft(*id).code(), Code::kNotFound);
}

TEST_F(DraftsTest, FinishingADraftAddsTheRecordWithItsSealedIdentity) {
  Result<std::string> id = store_->SaveDraft(Partial("Finished Person"));
  ASSERT_TRUE(id.ok());
  InputRecord r;
  r.where = "draft";
  r.testimony = testing::SamplePushback("");
  r.testimony.clear_identity();  // typed before the draft was kept, so only sealed there

  // A record that breaks the rules leaves the draft in place and adds nothing.
  InputRecord bad = r;
  bad.testimony.mutable_pushback()->set_group_size(0);
  EXPECT_EQ(store_->FinishDraft(*id, bad).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->ListDrafts()->size(), 1u);
  EXPECT_TRUE(store_->List({})->empty());

  Result<FinishedDraft> done = store_->FinishDraft(*id, r);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->version, 1u);
  EXPECT_TRUE(store_->ListDrafts()->empty()) << "the draft goes with the save";
  Result<v1::Identity> identity = store_->RevealIdentity(done->record_id, 0, *org_);
  ASSERT_TRUE(identity.ok()) << identity.status().message();
  EXPECT_EQ(identity->name(), "Finished Person");
}

TEST_F(DraftsTest, FinishingAnEditDraftStoresANewVersion) {
  std::vector<InputRecord> in(1);
  in[0].where = "record 1";
  in[0].testimony = testing::SamplePushback("ORIGINAL");
  auto ids = store_->Add(in);
  ASSERT_TRUE(ids.ok());
  Draft d;
  d.kind = v1::PUSHBACK;
  d.record_id = (*ids)[0];
  d.testimony = store_->Get((*ids)[0])->testimony;
  d.testimony.clear_sealed_identity();
  Result<std::string> draft_id = store_->SaveDraft(d);
  ASSERT_TRUE(draft_id.ok());
  InputRecord r;
  r.where = "draft";
  r.testimony = d.testimony;
  r.testimony.clear_id();
  r.testimony.clear_schema_version();
  r.testimony.set_narrative("Changed in a draft.");
  Result<FinishedDraft> done = store_->FinishDraft(*draft_id, r);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->record_id, (*ids)[0]);
  EXPECT_EQ(done->version, 2u);
  EXPECT_EQ(store_->Get((*ids)[0])->testimony.narrative(), "Changed in a draft.");
  // The draft held no new identity: the record's is kept.
  EXPECT_EQ(store_->RevealIdentity((*ids)[0], 0, *org_)->name(), "ORIGINAL-name");
  EXPECT_TRUE(store_->ListDrafts()->empty());
}

}  // namespace
}  // namespace tvault
