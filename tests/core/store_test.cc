// The encrypted store through its public API, on real SQLCipher files on disk.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>

#include "crypto/envelope.h"
#include "crypto/seal.h"
#include "testing/test_util.h"
#include "tvault/store.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::TempDir;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp_ / "org", Pass("org pass"), FastKdf()).ok());
    org_ = *ReadOrgPublicKey(tmp_ / "org.pub");
    dir_ = tmp_ / "vault";
    CreateOptions opts;
    opts.kdf = FastKdf();
    opts.monitor_id = "mon-07";
    ASSERT_TRUE(Store::Create(dir_, Pass("store pass"), org_, opts).ok());
  }

  std::unique_ptr<Store> OpenOrDie() {
    auto s = Store::Open(dir_, Pass("store pass"));
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  std::vector<InputRecord> One(v1::Testimony t) {
    std::vector<InputRecord> v(1);
    v[0].where = "record 1";
    v[0].testimony = std::move(t);
    return v;
  }

  TempDir tmp_;
  std::string dir_;
  OrgPublicKey org_;
};

TEST_F(StoreTest, CreateRefusesNonEmptyDirectory) {
  CreateOptions opts;
  opts.kdf = FastKdf();
  EXPECT_EQ(Store::Create(dir_, Pass("x"), org_, opts).code(), Code::kAlreadyExists);
}

TEST_F(StoreTest, DatabaseIsRealSqlcipherNotPlainSqlite) {
  std::string db = testing::ReadFileOrDie(dir_ + "/" + kStoreDbFile);
  ASSERT_GE(db.size(), 4096u);
  EXPECT_NE(db.substr(0, 15), "SQLite format 3");
  EXPECT_EQ(db.size() % 4096, 0u) << "cipher_page_size 4096 not in effect";
}

TEST_F(StoreTest, WrongPassphraseWritesNothing) {
  auto before = testing::ReadTree(dir_);
  auto s = Store::Open(dir_, Pass("store pasS"));
  EXPECT_EQ(s.status().code(), Code::kWrongPassphrase);
  EXPECT_EQ(s.status().message().find("store pasS"), std::string::npos);
  EXPECT_EQ(testing::ReadTree(dir_), before);
}

TEST_F(StoreTest, AlteredDatabaseIsReportedDamagedAndLeftAsItWas) {
  {
    auto store = OpenOrDie();
    std::vector<InputRecord> many;
    for (int i = 0; i < 40; ++i) many.push_back(One(testing::SamplePushback("m"))[0]);
    ASSERT_TRUE(store->Add(std::move(many)).ok());
  }
  std::string path = dir_ + "/" + kStoreDbFile;
  std::string db = testing::ReadFileOrDie(path);
  ASSERT_GT(db.size(), 3 * 4096u);
  for (size_t page : {size_t{0}, db.size() / 4096 - 1}) {
    std::string bad = db;
    bad[page * 4096 + 2000] ^= 0x40;
    testing::WriteFileOrDie(path, bad);
    auto before = testing::ReadTree(dir_);
    Status st;
    auto s = Store::Open(dir_, Pass("store pass"));
    if (!s.ok()) {
      st = s.status();
    } else {
      auto rows = (*s)->List(ListFilter{});
      st = rows.status();
      if (st.ok()) {
        for (const RecordInfo& r : *rows) {
          auto g = (*s)->Get(r.id);
          if (!g.ok()) st = g.status();
        }
      }
    }
    s = Status(Code::kInternal, "closed");
    EXPECT_EQ(st.code(), Code::kDamaged) << "page " << page << ": " << st.message();
    EXPECT_NE(st.message().find("damaged or has been altered"), std::string::npos);
    EXPECT_EQ(testing::ReadTree(dir_), before) << "page " << page;
  }
}

TEST_F(StoreTest, AddSealsIdentityTheStoreCannotOpenButTheOrgCan) {
  auto store = OpenOrDie();
  auto ids = store->Add(One(testing::SamplePushback("SEALTEST")));
  ASSERT_TRUE(ids.ok()) << ids.status().message();
  auto got = store->Get((*ids)[0]);
  ASSERT_TRUE(got.ok());
  const v1::Testimony& t = got->testimony;
  EXPECT_FALSE(t.has_identity());
  EXPECT_FALSE(t.sealed_identity().empty());
  EXPECT_EQ(t.id(), (*ids)[0]);
  EXPECT_EQ(t.id().size(), 32u);
  EXPECT_EQ(t.schema_version(), kSchemaVersion);
  EXPECT_EQ(t.monitor_id(), "mon-07");
  EXPECT_EQ(t.sealed_identity().find("SEALTEST"), std::string::npos);

  auto org_secret = ReadOrgSecretKey(tmp_ / "org.key", Pass("org pass"));
  ASSERT_TRUE(org_secret.ok());
  auto plain = internal::OpenSealed(*org_secret, t.sealed_identity());
  ASSERT_TRUE(plain.ok());
  v1::Identity id;
  ASSERT_TRUE(id.ParseFromArray(plain->data(), static_cast<int>(plain->size())));
  EXPECT_EQ(id.name(), "SEALTEST-name");
  EXPECT_EQ(id.phone(), "SEALTEST-phone");
}

TEST_F(StoreTest, OneBadRecordRejectsTheWholeInput) {
  auto store = OpenOrDie();
  std::vector<InputRecord> in;
  for (int i = 0; i < 3; ++i) {
    InputRecord r;
    r.where = "record " + std::to_string(i + 1);
    r.testimony = testing::SamplePushback("x");
    in.push_back(std::move(r));
  }
  in[2].testimony.mutable_pushback()->set_minors_count(99);
  auto before = testing::ReadTree(dir_);
  auto r = store->Add(std::move(in));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("record 3"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("pushback.minors_count"), std::string::npos)
      << r.status().message();
  EXPECT_TRUE(store->List(ListFilter{})->empty());
}

TEST_F(StoreTest, EditKeepsHistoryAndSealedIdentity) {
  auto store = OpenOrDie();
  std::string id = (*store->Add(One(testing::SamplePushback("e"))))[0];
  std::string sealed = store->Get(id)->testimony.sealed_identity();

  InputRecord edit;
  edit.where = "edit";
  edit.testimony = store->Get(id)->testimony;  // as `show --json` would give it
  edit.testimony.mutable_pushback()->set_group_size(15);
  auto v = store->Edit(id, std::move(edit));
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(*v, 2u);
  auto history = store->History(id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].testimony.pushback().group_size(), 12u);
  EXPECT_EQ((*history)[1].testimony.pushback().group_size(), 15u);
  EXPECT_EQ((*history)[1].testimony.sealed_identity(), sealed);
  EXPECT_EQ(store->Get(id)->info.people, 15u);
  EXPECT_EQ(store->Get(id, 1)->info.people, 12u);

  InputRecord bad;
  bad.where = "edit";
  bad.testimony = testing::SamplePushback("e");
  bad.testimony.mutable_pushback()->set_pushed_to("HR");
  EXPECT_EQ(store->Edit(id, std::move(bad)).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store->History(id)->size(), 2u);
  EXPECT_EQ(store->Edit("0123456789abcdef0123456789abcdef", InputRecord{}).status().code(),
            Code::kNotFound);
}

TEST_F(StoreTest, DeleteIsATombstone) {
  auto store = OpenOrDie();
  std::string id = (*store->Add(One(testing::SamplePushback("d"))))[0];
  EXPECT_EQ(store->Delete(id, "").code(), Code::kInvalidArgument);
  ASSERT_TRUE(store->Delete(id, "duplicate of another record").ok());
  EXPECT_TRUE(store->List(ListFilter{})->empty());
  ListFilter all;
  all.include_deleted = true;
  auto rows = store->List(all);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_TRUE((*rows)[0].deleted);
  EXPECT_EQ((*rows)[0].delete_reason, "duplicate of another record");
  EXPECT_EQ((*rows)[0].version, 2u);
  EXPECT_EQ(store->History(id)->size(), 2u);
  EXPECT_EQ(store->History(id)->front().testimony.pushback().group_size(), 12u);
  EXPECT_EQ(store->Delete(id, "again").code(), Code::kInvalidArgument);
  InputRecord edit;
  edit.testimony = testing::SamplePushback("d");
  EXPECT_EQ(store->Edit(id, std::move(edit)).status().code(), Code::kInvalidArgument);
}

TEST_F(StoreTest, ListFiltersByKindAndMonth) {
  auto store = OpenOrDie();
  ASSERT_TRUE(store->AddFacilities({testing::SampleFacilityEntry("HR-DET-01")}).ok());
  std::vector<InputRecord> in = One(testing::SamplePushback("a"));
  in.push_back(One(testing::SampleFacility("HR-DET-01", "b"))[0]);
  ASSERT_TRUE(store->Add(std::move(in)).ok());
  ListFilter f;
  f.kind = v1::FACILITY;
  auto rows = store->List(f);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].facility_id, "HR-DET-01");
  EXPECT_EQ((*rows)[0].country, "HR");
  EXPECT_EQ((*rows)[0].incident_month, "2026-09");
  f = ListFilter{};
  f.month = "2026-10";
  rows = store->List(f);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].pushed_to, "BA");
}

TEST_F(StoreTest, FacilityRegistry) {
  auto store = OpenOrDie();
  ASSERT_TRUE(store->AddFacilities({testing::SampleFacilityEntry("HR-DET-01")}).ok());
  EXPECT_EQ(store->AddFacilities({testing::SampleFacilityEntry("HR-DET-01")}).code(),
            Code::kAlreadyExists);
  v1::Facility bad = testing::SampleFacilityEntry("HR-DET-02");
  bad.set_country("ZZ");
  EXPECT_EQ(store->AddFacilities({bad}).code(), Code::kInvalidArgument);
  EXPECT_EQ(store->ListFacilities()->size(), 1u);
  // A facility testimony must point into the registry.
  auto r = store->Add(One(testing::SampleFacility("XX-NONE-1", "f")));
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("facility.facility_id"), std::string::npos);
}

TEST_F(StoreTest, ChangePassphraseRewrapsWithoutReencrypting) {
  {
    auto store = OpenOrDie();
    ASSERT_TRUE(store->Add(One(testing::SamplePushback("p"))).ok());
  }
  std::string db_before = testing::ReadFileOrDie(dir_ + "/" + kStoreDbFile);
  EXPECT_EQ(Store::ChangePassphrase(dir_, Pass("nope"), Pass("new pass"), FastKdf()).code(),
            Code::kWrongPassphrase);
  ASSERT_TRUE(Store::ChangePassphrase(dir_, Pass("store pass"), Pass("new pass"), FastKdf()).ok());
  EXPECT_EQ(Store::Open(dir_, Pass("store pass")).status().code(), Code::kWrongPassphrase);
  auto store = Store::Open(dir_, Pass("new pass"));
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->List(ListFilter{})->size(), 1u);
  auto log = (*store)->AuditLog();
  EXPECT_EQ(log->back().action, "passphrase-change");
}

TEST_F(StoreTest, WipeDestroysTheKey) {
  std::string key_before = testing::ReadFileOrDie(dir_ + "/" + kStoreKeyFile);
  ASSERT_TRUE(Store::Wipe(dir_).ok());
  struct stat st;
  EXPECT_NE(::stat((dir_ + "/" + kStoreKeyFile).c_str(), &st), 0);
  EXPECT_EQ(Store::Open(dir_, Pass("store pass")).status().code(), Code::kNotFound);
  EXPECT_EQ(Store::Wipe(dir_).code(), Code::kNotFound);
}

TEST_F(StoreTest, AuditLogRecordsEveryChangeWithoutContent) {
  auto store = OpenOrDie();
  ASSERT_TRUE(store->AddFacilities({testing::SampleFacilityEntry("HR-DET-01")}).ok());
  std::string id = (*store->Add(One(testing::SamplePushback("AUDITMARK"))))[0];
  InputRecord e;
  e.testimony = testing::SamplePushback("AUDITMARK");
  ASSERT_TRUE(store->Edit(id, std::move(e)).ok());
  ASSERT_TRUE(store->Delete(id, "test").ok());
  auto log = store->AuditLog();
  ASSERT_TRUE(log.ok());
  // The actor is the checkpoint key's id (the middle field of the verifier key), never the
  // monitor code.
  const std::string key = store->LogVerifierKey();
  const size_t p1 = key.find('+'), p2 = key.find('+', p1 + 1);
  const std::string key_id = key.substr(p1 + 1, p2 - p1 - 1);
  ASSERT_EQ(key_id.size(), 8u);
  std::vector<std::string> actions;
  for (const AuditEntry& a : *log) {
    actions.push_back(a.action);
    EXPECT_EQ(a.actor, key_id);
    EXPECT_EQ(a.record_id.find("AUDITMARK"), std::string::npos);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"init", "facility-add", "add", "edit", "delete"}));
  EXPECT_EQ((*log)[2].record_id, id);
  EXPECT_EQ((*log)[3].record_version, 2u);
  EXPECT_EQ((*log)[2].content_hash.size(), 64u);
}

// The stock sqlcipher shell opens the store with the raw key: an independent check that the
// file is a standard SQLCipher database (and that the stock sqlite3 cannot read it).
TEST_F(StoreTest, StockSqlcipherOpensWithRawKeyStockSqliteCannot) {
  {
    auto store = OpenOrDie();
    ASSERT_TRUE(store->Add(One(testing::SamplePushback("s"))).ok());
  }
  const std::string out =
      testing::RunSqlcipher(dir_, "store pass", "SELECT count(*) FROM records;");
  EXPECT_NE(out.find("1"), std::string::npos) << out;
  EXPECT_EQ(out.find("Error"), std::string::npos) << out;

  std::string plain = "sqlite3 " + dir_ + "/store.db 'SELECT count(*) FROM records' 2>&1";
  if (std::system("command -v sqlite3 >/dev/null 2>&1") == 0) {
    FILE* p = popen(plain.c_str(), "r");
    ASSERT_NE(p, nullptr);
    char buf[256];
    std::string refused;
    while (fgets(buf, sizeof buf, p)) refused += buf;
    pclose(p);
    EXPECT_NE(refused.find("not a database"), std::string::npos) << refused;
  }
}

}  // namespace
}  // namespace tvault
