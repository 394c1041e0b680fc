// Key files, the passphrase envelope, Bech32/age recipients and identity sealing.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include "crypto/bech32.h"
#include "crypto/envelope.h"
#include "crypto/seal.h"
#include "testing/test_util.h"
#include "tvault/keys.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::TempDir;

SecretBytes RandomKey() {
  SecretBytes k(32);
  randombytes_buf(k.data(), k.size());
  return k;
}

TEST(Envelope, RoundTripAndWrongPassphrase) {
  SecretBytes key = RandomKey();
  auto sealed = internal::SealEnvelope(internal::kStoreKeyMagic, key, Pass("correct horse"), FastKdf());
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->size(), internal::kEnvelopeSize);
  auto opened = internal::OpenEnvelope(internal::kStoreKeyMagic, *sealed, Pass("correct horse"), "k");
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(0, std::memcmp(opened->data(), key.data(), 32));
  auto wrong = internal::OpenEnvelope(internal::kStoreKeyMagic, *sealed, Pass("correct horsf"), "k");
  EXPECT_EQ(wrong.status().code(), Code::kWrongPassphrase);
  EXPECT_NE(wrong.status().message().find("wrong passphrase"), std::string::npos);
}

TEST(Envelope, EveryFlippedBitIsRejected) {
  SecretBytes key = RandomKey();
  std::string sealed = *internal::SealEnvelope(internal::kOrgKeyMagic, key, Pass("p"), FastKdf());
  for (size_t bit = 0; bit < sealed.size() * 8; ++bit) {
    std::string bad = sealed;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    auto r = internal::OpenEnvelope(internal::kOrgKeyMagic, bad, Pass("p"), "k");
    EXPECT_FALSE(r.ok()) << "bit " << bit << " accepted";
  }
}

TEST(Envelope, RejectsOtherKindTruncationNewerVersionAndAbsurdKdf) {
  SecretBytes key = RandomKey();
  std::string sealed = *internal::SealEnvelope(internal::kOrgKeyMagic, key, Pass("p"), FastKdf());
  EXPECT_EQ(internal::OpenEnvelope(internal::kStoreKeyMagic, sealed, Pass("p"), "k").status().code(),
            Code::kDamaged);
  EXPECT_EQ(internal::OpenEnvelope(internal::kOrgKeyMagic, sealed.substr(0, 100), Pass("p"), "k")
                .status().code(),
            Code::kDamaged);
  std::string newer = sealed;
  newer[8] = 2;
  EXPECT_EQ(internal::OpenEnvelope(internal::kOrgKeyMagic, newer, Pass("p"), "k").status().code(),
            Code::kUnsupported);
  std::string greedy = sealed;
  greedy[27] = 0x7f;  // memlimit's top byte: petabytes
  auto r = internal::OpenEnvelope(internal::kOrgKeyMagic, greedy, Pass("p"), "k");
  EXPECT_EQ(r.status().code(), Code::kDamaged);
}

TEST(Bech32, AgeRecipientRoundTripAndChecksum) {
  std::array<uint8_t, 32> raw;
  randombytes_buf(raw.data(), raw.size());
  OrgPublicKey key(raw);
  std::string text = key.ToAgeRecipient();
  EXPECT_EQ(text.rfind("age1", 0), 0u);
  EXPECT_EQ(text.size(), 62u);
  auto back = OrgPublicKey::FromAgeRecipient(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->bytes(), raw);
  std::string typo = text;
  typo[10] = typo[10] == 'q' ? 'p' : 'q';
  EXPECT_FALSE(OrgPublicKey::FromAgeRecipient(typo).ok());
  EXPECT_FALSE(OrgPublicKey::FromAgeRecipient("age1").ok());
}

TEST(Bech32, KnownVector) {
  // BIP 173 test vector: a valid Bech32 string with an empty data part.
  auto r = internal::Bech32Decode("a", "A12UEL5L");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->empty());
  EXPECT_FALSE(internal::Bech32Decode("a", "A12UEL5M").ok());
}

TEST(OrgKeys, WriteReadSealOpen) {
  TempDir dir;
  ASSERT_TRUE(WriteNewOrgKeyPair(dir / "org", Pass("coordinators only"), FastKdf()).ok());
  struct stat st;
  ASSERT_EQ(::stat((dir / "org.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto pub = ReadOrgPublicKey(dir / "org.pub");
  ASSERT_TRUE(pub.ok()) << pub.status().message();
  auto sec = ReadOrgSecretKey(dir / "org.key", Pass("coordinators only"));
  ASSERT_TRUE(sec.ok()) << sec.status().message();
  EXPECT_EQ(sec->public_key().bytes(), pub->bytes());

  std::string sealed = *internal::SealToOrg(*pub, "Example Person");
  auto opened = internal::OpenSealed(*sec, sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->view(), "Example Person");
  sealed[5] ^= 1;
  EXPECT_FALSE(internal::OpenSealed(*sec, sealed).ok());

  EXPECT_EQ(ReadOrgSecretKey(dir / "org.key", Pass("guess")).status().code(),
            Code::kWrongPassphrase);
  // Never overwrites an existing key pair.
  EXPECT_EQ(WriteNewOrgKeyPair(dir / "org", Pass("x"), FastKdf()).code(), Code::kAlreadyExists);
}

TEST(OrgKeys, PublicKeyFileErrorsNameTheFile) {
  TempDir dir;
  testing::WriteFileOrDie(dir / "bad.pub", "# comment only\n");
  auto r = ReadOrgPublicKey(dir / "bad.pub");
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("bad.pub"), std::string::npos);
  EXPECT_EQ(ReadOrgPublicKey(dir / "missing.pub").status().code(), Code::kNotFound);
}

TEST(KdfParams, Profiles) {
  EXPECT_TRUE(KdfParams::FromName("moderate").ok());
  EXPECT_EQ(KdfParams::FromName("moderate")->memlimit, crypto_pwhash_MEMLIMIT_MODERATE);
  EXPECT_FALSE(KdfParams::FromName("fast").ok());
}

}  // namespace
}  // namespace tvault
