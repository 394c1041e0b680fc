// See log_forge.h.
#include "testing/log_forge.h"

#include <gtest/gtest.h>

#include <vector>

#include "crypto/envelope.h"
#include "store/audit_log.h"
#include "store/checkpoint.h"
#include "store/db.h"
#include "testing/test_util.h"
#include "tvault/store.h"
#include "util/clock.h"

namespace tvault::testing {

void RewriteAuditEntry(const std::string& dir, const SecretBytes& passphrase, uint64_t seq) {
  auto dek = internal::OpenEnvelope(internal::kStoreKeyMagic,
                                    testing::ReadFileOrDie(dir + "/" + kStoreKeyFile),
                                    passphrase, "k");
  ASSERT_TRUE(dek.ok());
  internal::Db db;
  ASSERT_TRUE(db.Open(dir + "/" + kStoreDbFile, *dek, false).ok());
  ASSERT_TRUE(db.Exec("UPDATE audit_log SET time = '2020-01-01T00:00:00Z' WHERE seq = " +
                      std::to_string(seq))
                  .ok());
  std::vector<AuditEntry> entries = *internal::ReadAuditEntries(db);
  std::vector<std::string> leaves;
  internal::MerkleFrontier head;
  for (const AuditEntry& e : entries) {
    leaves.push_back(internal::MerkleLeafHash(internal::EncodeAuditEntry(e)));
    head.Append(leaves.back());
  }
  auto get = *db.Prepare("SELECT key, value FROM meta WHERE key IN ('log_key', 'store_id')");
  std::string seed_hex, store_id;
  while (*get.Step()) (get.Text(0) == "log_key" ? seed_hex : store_id) = get.Text(1);
  SecretBytes seed(internal::kCheckpointSeedSize);
  for (size_t i = 0; i < seed.size(); ++i) {
    seed.data()[i] = static_cast<unsigned char>(std::stoi(seed_hex.substr(2 * i, 2), nullptr, 16));
  }
  const std::string origin = internal::kCheckpointOriginPrefix + store_id;
  auto sizes = *db.Prepare("SELECT size FROM checkpoints");
  std::vector<uint64_t> all;
  while (*sizes.Step()) all.push_back(static_cast<uint64_t>(sizes.Int(0)));
  for (uint64_t size : all) {
    Checkpoint cp{origin, size, internal::MerkleRoot(leaves, 0, size)};
    auto put = *db.Prepare("UPDATE checkpoints SET root = ?, note = ? WHERE size = ?");
    ASSERT_TRUE(put.BindBlob(1, cp.root)
                    .Bind(2, internal::SignCheckpoint(cp, seed))
                    .Bind(3, static_cast<int64_t>(size))
                    .Run()
                    .ok());
  }
  auto front = *db.Prepare("UPDATE meta SET value = ? WHERE key = 'log_frontier'");
  ASSERT_TRUE(front.Bind(1, internal::ToHex(head.Serialize())).Run().ok());
  auto leaf = *db.Prepare("UPDATE audit_log SET leaf_hash = ? WHERE seq = ?");
  ASSERT_TRUE(
      leaf.BindBlob(1, leaves[seq - 1]).Bind(2, static_cast<int64_t>(seq)).Run().ok());
}

}  // namespace tvault::testing
