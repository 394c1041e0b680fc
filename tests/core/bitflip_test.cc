// Bit flips in the files tvault reads back: every single-bit change of a store.key, org.key or
// signer.key file (read through the public file readers), of a minisign signature, of a signed
// checkpoint note and of a consistency proof is rejected with a Status that names the problem.
// Envelope.EveryFlippedBitIsRejected (crypto_test.cc) covers the envelope bytes in memory; these
// tests go through the files and the readers a user's command uses.
//
// The one documented exception: the first line of a minisign signature is an *untrusted*
// comment, not covered by any signature (minisign's design), so a flip there that keeps the line
// a valid comment is accepted, and must leave the trusted comment as it was.
#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>

#include "crypto/signing_internal.h"
#include "store/checkpoint.h"
#include "store/merkle.h"
#include "testing/bitflip.h"
#include "testing/test_util.h"
#include "tvault/audit.h"
#include "tvault/keys.h"
#include "tvault/signing.h"
#include "tvault/store.h"

namespace tvault {
namespace {

using testing::ExpectEveryFlipRejected;
using testing::FastKdf;
using testing::Flip;
using testing::Pass;
using testing::ReadFileOrDie;
using testing::TempDir;
using testing::WriteFileOrDie;

TEST(BitFlips, StoreKeyFile) {
  TempDir dir;
  const std::string store = dir / "store";
  ASSERT_TRUE(WriteNewOrgKeyPair(dir / "org", Pass("pw"), FastKdf()).ok());
  auto org = ReadOrgPublicKey(dir / "org.pub");
  ASSERT_TRUE(org.ok());
  ASSERT_TRUE(Store::Create(store, Pass("pw"), *org, CreateOptions{FastKdf(), "m"}).ok());
  const std::string key_path = store + "/" + kStoreKeyFile;
  const std::string original = ReadFileOrDie(key_path);
  const size_t rejected = ExpectEveryFlipRejected(
      "store.key", original,
      [&](const std::string& bad) {
        WriteFileOrDie(key_path, bad);
        auto opened = Store::Open(store, Pass("pw"));
        if (!opened.ok() &&
            opened.status().message().find(kStoreKeyFile) == std::string::npos) {
          ADD_FAILURE() << "message does not name the file: " << opened.status().message();
        }
        return opened.status();
      },
      {Code::kDamaged, Code::kWrongPassphrase, Code::kUnsupported});
  EXPECT_EQ(rejected, original.size() * 8);
  WriteFileOrDie(key_path, original);
  EXPECT_TRUE(Store::Open(store, Pass("pw")).ok()) << "the unaltered file must still open";
}

TEST(BitFlips, OrgKeyAndSignerKeyFiles) {
  TempDir dir;
  ASSERT_TRUE(WriteNewOrgKeyPair(dir / "org", Pass("pw"), FastKdf()).ok());
  ASSERT_TRUE(WriteNewSigner(dir / "signer", Pass("pw"), FastKdf()).ok());
  const std::string org = ReadFileOrDie(dir / "org.key");
  const std::string signer = ReadFileOrDie(dir / "signer.key");
  const std::string bad_path = dir / "bad.key";
  auto names_file = [&](const Status& s) {
    if (!s.ok() && s.message().find(bad_path) == std::string::npos) {
      ADD_FAILURE() << "message does not name the file: " << s.message();
    }
    return s;
  };
  const auto codes = {Code::kDamaged, Code::kWrongPassphrase, Code::kUnsupported};
  EXPECT_EQ(ExpectEveryFlipRejected("org.key", org,
                                    [&](const std::string& bad) {
                                      WriteFileOrDie(bad_path, bad);
                                      return names_file(
                                          ReadOrgSecretKey(bad_path, Pass("pw")).status());
                                    },
                                    codes),
            org.size() * 8);
  EXPECT_EQ(ExpectEveryFlipRejected("signer.key", signer,
                                    [&](const std::string& bad) {
                                      WriteFileOrDie(bad_path, bad);
                                      return names_file(
                                          ReadSignerSecretKey(bad_path, Pass("pw")).status());
                                    },
                                    codes),
            signer.size() * 8);
  EXPECT_TRUE(ReadOrgSecretKey(dir / "org.key", Pass("pw")).ok());
  EXPECT_TRUE(ReadSignerSecretKey(dir / "signer.key", Pass("pw")).ok());
}

TEST(BitFlips, MinisignSignatureOutsideTheUntrustedComment) {
  // A fixed key: the signature is deterministic, and holds a '/' in its base64 lines (libsodium
  // decodes 0xAF, '/' with its top bit flipped, as '/': the regression this test caught).
  const std::string message = "a report's bytes\n";
  std::optional<SignerSecretKey> key;
  std::string sig;
  for (char c = 'a'; c <= 'z' && sig.find('/', sig.find('\n')) == std::string::npos; ++c) {
    auto k = internal::SignerFromSeed(SecretBytes::CopyOf(std::string(32, c).data(), 32));
    ASSERT_TRUE(k.ok());
    key.emplace(std::move(k).value());
    sig = *key->Sign(message, "tvault report 2026-10");
  }
  ASSERT_NE(sig.find('/', sig.find('\n')), std::string::npos) << sig;
  const size_t untrusted_end = sig.find('\n');  // the untrusted comment line, without its LF
  const size_t prefix = std::string("untrusted comment: ").size();
  size_t rejected = 0, comment_only = 0;
  for (size_t bit = 0; bit < sig.size() * 8; ++bit) {
    const std::string bad = Flip(sig, bit);
    auto r = VerifyMinisign(key->public_key(), message, bad);
    if (bit / 8 >= prefix && bit / 8 < untrusted_end && r.ok()) {
      EXPECT_EQ(*r, "tvault report 2026-10");  // Only the untrusted text changed.
      ++comment_only;
      continue;
    }
    EXPECT_FALSE(r.ok()) << "bit " << bit << " (byte " << bit / 8 << ") flipped, accepted";
    if (!r.ok()) {
      EXPECT_TRUE(r.status().code() == Code::kDamaged ||
                  r.status().code() == Code::kInvalidArgument)
          << r.status().message();
      ++rejected;
    }
  }
  std::printf("bit flips: minisig: %zu of %zu rejected, %zu inside the untrusted comment text "
              "accepted as designed\n",
              rejected, sig.size() * 8, comment_only);
  EXPECT_EQ(rejected + comment_only, sig.size() * 8);
  EXPECT_GE(rejected, (sig.size() - untrusted_end) * 8);
}

// A store's checkpoint note and a consistency proof between two of its checkpoints.
class LogFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = SecretBytes::CopyOf(std::string(32, 's').data(), 32);
    key_ = internal::VerifierKeyFor("tvault/store/bitflip", seed_);
    for (int i = 0; i < 6; ++i) leaves_.push_back(internal::MerkleLeafHash(std::to_string(i)));
    // With these fixed inputs both files hold '/' in base64 (see the minisig test).
    older_ = Checkpoint{"tvault/store/bitflip", 2, internal::MerkleRoot(leaves_, 0, 2)};
    newer_ = Checkpoint{"tvault/store/bitflip", 6, internal::MerkleRoot(leaves_, 0, 6)};
  }
  SecretBytes seed_;
  std::string key_;
  std::vector<std::string> leaves_;
  Checkpoint older_, newer_;
};

TEST_F(LogFiles, CheckpointNote) {
  const std::string note = internal::SignCheckpoint(newer_, seed_);
  ASSERT_TRUE(VerifyCheckpointNote(note, key_).ok());
  ASSERT_NE(note.find('/', note.find("\n\n")), std::string::npos) << note;
  EXPECT_EQ(ExpectEveryFlipRejected(
                "checkpoint note", note,
                [&](const std::string& bad) { return VerifyCheckpointNote(bad, key_).status(); },
                {Code::kDamaged}),
            note.size() * 8);
}

TEST_F(LogFiles, ConsistencyProof) {
  ConsistencyProofData proof{2, 6, internal::ConsistencyProof(leaves_, 2)};
  const std::string text = FormatConsistencyProof(proof);
  ASSERT_TRUE(VerifyConsistencyProof(older_, newer_, *ParseConsistencyProof(text)).ok());
  ASSERT_NE(text.find('/', text.find("new ")), std::string::npos) << text;
  EXPECT_EQ(ExpectEveryFlipRejected("consistency proof", text,
                                    [&](const std::string& bad) {
                                      auto p = ParseConsistencyProof(bad);
                                      if (!p.ok()) return p.status();
                                      return VerifyConsistencyProof(older_, newer_, *p);
                                    },
                                    {Code::kDamaged}),
            text.size() * 8);
}

}  // namespace
}  // namespace tvault
