// The store's audit log end to end: entries, signed checkpoints, verification and proofs, and
// every kind of tampering named (edited, removed, reordered entry; rolled-back store).
#include "store/audit_log.h"

#include <gtest/gtest.h>

#include "crypto/envelope.h"
#include "store/db.h"
#include "testing/test_util.h"
#include "tvault/audit.h"
#include "tvault/store.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::TempDir;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp_ / "org", Pass("o"), FastKdf()).ok());
    dir_ = tmp_ / "vault";
    CreateOptions opts;
    opts.kdf = FastKdf();
    opts.monitor_id = "mon-01";
    ASSERT_TRUE(Store::Create(dir_, Pass("s"), *ReadOrgPublicKey(tmp_ / "org.pub"), opts).ok());
  }

  std::unique_ptr<Store> Open() { return std::move(Store::Open(dir_, Pass("s"))).value(); }

  // Adds `n` records one transaction each, so there are n + 1 checkpoints.
  std::vector<std::string> AddRecords(Store& store, int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      std::vector<InputRecord> in(1);
      in[0].where = "r";
      in[0].testimony = testing::SamplePushback("m");
      ids.push_back((*store.Add(std::move(in)))[0]);
    }
    return ids;
  }

  // Runs SQL directly on the database, as an insider with the passphrase could.
  void Tamper(const std::string& sql) {
    std::string wrapped = testing::ReadFileOrDie(dir_ + "/" + kStoreKeyFile);
    auto dek = internal::OpenEnvelope(internal::kStoreKeyMagic, wrapped, Pass("s"), "k");
    ASSERT_TRUE(dek.ok());
    internal::Db db;
    ASSERT_TRUE(db.Open(dir_ + "/" + kStoreDbFile, *dek, false).ok());
    Status s = db.Exec(sql);
    ASSERT_TRUE(s.ok()) << s.message();
  }

  static bool Mentions(const std::vector<std::string>& problems, const std::string& text) {
    for (const std::string& p : problems) {
      if (p.find(text) != std::string::npos) return true;
    }
    return false;
  }

  TempDir tmp_;
  std::string dir_;
};

TEST_F(AuditLogTest, IntactLogVerifiesAndCheckpointsAreSigned) {
  auto store = Open();
  AddRecords(*store, 3);
  auto problems = store->VerifyLog({});
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty()) << problems->front();
  auto note = store->LatestCheckpoint();
  ASSERT_TRUE(note.ok());
  auto cp = VerifyCheckpointNote(*note, store->LogVerifierKey());
  ASSERT_TRUE(cp.ok()) << cp.status().message();
  EXPECT_EQ(cp->size, 4u);  // init + 3 adds
  EXPECT_EQ(cp->origin, "tvault/store/" + store->store_id());
  // The note is the C2SP form: body, blank line, an em-dash signature line.
  EXPECT_EQ(note->rfind(cp->origin + "\n4\n", 0), 0u);
  EXPECT_NE(note->find("\n\n\xe2\x80\x94 " + cp->origin + " "), std::string::npos);

  std::string altered = *note;
  altered[altered.find("\n4\n") + 1] = '5';
  EXPECT_EQ(VerifyCheckpointNote(altered, store->LogVerifierKey()).status().code(), Code::kDamaged);
}

TEST_F(AuditLogTest, EditedEntryIsNamed) {
  AddRecords(*Open(), 3);
  Tamper("UPDATE audit_log SET action = 'edit' WHERE seq = 3");
  auto problems = Open()->VerifyLog({});
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(Mentions(*problems, "entry 3 was altered")) << problems->size();
}

TEST_F(AuditLogTest, EditedEntryWithRecomputedLeafFailsTheCheckpoints) {
  AddRecords(*Open(), 3);
  // A careful forger recomputes the cached leaf too; the signed checkpoints still catch it.
  AuditEntry forged;
  {
    auto store = Open();
    forged = (*store->AuditLog())[2];
  }
  forged.action = "edit";
  std::string leaf = internal::MerkleLeafHash(internal::EncodeAuditEntry(forged));
  std::string hex;
  for (unsigned char c : leaf) {
    static const char* d = "0123456789abcdef";
    hex += d[c >> 4];
    hex += d[c & 15];
  }
  Tamper("UPDATE audit_log SET action = 'edit', leaf_hash = x'" + hex + "' WHERE seq = 3");
  auto problems = Open()->VerifyLog({});
  ASSERT_TRUE(problems.ok());
  EXPECT_FALSE(Mentions(*problems, "entry 3 was altered"));
  EXPECT_TRUE(Mentions(*problems, "stored checkpoint at size 3: root differs"));
  EXPECT_TRUE(Mentions(*problems, "stored checkpoint at size 4: root differs"));
}

TEST_F(AuditLogTest, RemovedEntryIsNamed) {
  AddRecords(*Open(), 3);
  Tamper("DELETE FROM audit_log WHERE seq = 2");
  auto problems = Open()->VerifyLog({});
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(Mentions(*problems, "entry 2 is missing"));
}

TEST_F(AuditLogTest, ReorderedEntriesAreDetected) {
  AddRecords(*Open(), 3);
  // Swap the contents of entries 2 and 3, leaf hashes included.
  Tamper(
      "CREATE TEMP TABLE t AS SELECT * FROM audit_log WHERE seq IN (2, 3);"
      "UPDATE audit_log SET time = (SELECT time FROM t WHERE seq = 5 - audit_log.seq),"
      " record_id = (SELECT record_id FROM t WHERE seq = 5 - audit_log.seq),"
      " content_hash = (SELECT content_hash FROM t WHERE seq = 5 - audit_log.seq),"
      " leaf_hash = (SELECT leaf_hash FROM t WHERE seq = 5 - audit_log.seq)"
      " WHERE seq IN (2, 3);");
  auto problems = Open()->VerifyLog({});
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(Mentions(*problems, "entry 2 was altered"));
  EXPECT_TRUE(Mentions(*problems, "entry 3 was altered"));
}

TEST_F(AuditLogTest, RolledBackStoreIsDetectedWithALaterCheckpoint) {
  AddRecords(*Open(), 2);
  auto old_files = testing::ReadTree(dir_);
  std::string later;
  {
    auto store = Open();
    AddRecords(*store, 2);
    later = *store->LatestCheckpoint();
  }
  // Present the older database with the newer checkpoint (e.g. the one in last month's report).
  for (const auto& [path, bytes] : testing::ReadTree(dir_)) ::unlink(path.c_str());
  for (const auto& [path, bytes] : old_files) testing::WriteFileOrDie(path, bytes);
  auto store = Open();
  auto problems = store->VerifyLog({later});
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(Mentions(*problems, "given checkpoint 1 (size 5): the log has only 3 entries"))
      << (problems->empty() ? "" : problems->front());
  EXPECT_EQ(store->ProveLog(later).status().code(), Code::kDamaged);
}

TEST_F(AuditLogTest, ConsistencyProofFromAnEarlierCheckpoint) {
  auto store = Open();
  AddRecords(*store, 2);
  std::string old_note = *store->LatestCheckpoint();
  AddRecords(*store, 5);
  std::string new_note = *store->LatestCheckpoint();
  auto proof = store->ProveLog(old_note);
  ASSERT_TRUE(proof.ok()) << proof.status().message();
  auto text = FormatConsistencyProof(*proof);
  auto parsed = ParseConsistencyProof(text);
  ASSERT_TRUE(parsed.ok());
  auto older = *VerifyCheckpointNote(old_note, store->LogVerifierKey());
  auto newer = *VerifyCheckpointNote(new_note, store->LogVerifierKey());
  EXPECT_TRUE(VerifyConsistencyProof(older, newer, *parsed).ok());
  // Swapped checkpoints, or a proof hash altered, fail.
  EXPECT_FALSE(VerifyConsistencyProof(newer, older, *parsed).ok());
  parsed->hashes[0][3] ^= 1;
  EXPECT_FALSE(VerifyConsistencyProof(older, newer, *parsed).ok());
}

TEST_F(AuditLogTest, ProofRefusesRewrittenHistory) {
  auto store = Open();
  AddRecords(*store, 2);
  std::string old_note = *store->LatestCheckpoint();
  store.reset();
  Tamper("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2");
  auto proof = Open()->ProveLog(old_note);
  EXPECT_EQ(proof.status().code(), Code::kDamaged);
  EXPECT_NE(proof.status().message().find("history was rewritten"), std::string::npos);
}

TEST_F(AuditLogTest, EntriesCarryNoContent) {
  auto store = Open();
  std::vector<InputRecord> in(1);
  in[0].testimony = testing::SamplePushback("LOGCANARY");
  ASSERT_TRUE(store->Add(std::move(in)).ok());
  for (const AuditEntry& e : *store->AuditLog()) {
    EXPECT_EQ(internal::EncodeAuditEntry(e).find("LOGCANARY"), std::string::npos);
  }
}

}  // namespace
}  // namespace tvault
