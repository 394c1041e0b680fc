// Keys that must be refused before they do harm (issue 19, items 6 and 7): a low-order
// organisation key, to which every sealed identity would be lost, and a key file whose KDF
// cost is far above anything tvault writes.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <array>

#include "crypto/bech32.h"
#include "crypto/envelope.h"
#include "crypto/seal.h"
#include "testing/test_util.h"
#include "tvault/keys.h"
#include "tvault/store.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::TempDir;

// Curve25519 points of small order (u-coordinates, little endian): 0, 1, and one of order 8.
std::vector<std::array<uint8_t, 32>> LowOrderPoints() {
  std::array<uint8_t, 32> zero{}, one{}, order8{};
  one[0] = 1;
  const uint8_t p8[32] = {0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3,
                          0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32,
                          0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00};
  std::copy(std::begin(p8), std::end(p8), order8.begin());
  return {zero, one, order8};
}

std::string Recipient(const std::array<uint8_t, 32>& bytes) {
  return internal::Bech32Encode("age", std::vector<uint8_t>(bytes.begin(), bytes.end()));
}

// Item 6: such a key is refused where org.pub is read (init, keys, every reader of
// FromAgeRecipient) and by Store::Create; sealing to one fails instead of returning a box
// that opens for nobody.
TEST(LowOrderOrgKey, IsRefusedWhereverItIsReadAndSealingToItFails) {
  TempDir tmp;
  for (const auto& point : LowOrderPoints()) {
    const std::string text = Recipient(point);
    auto parsed = OrgPublicKey::FromAgeRecipient(text);
    EXPECT_FALSE(parsed.ok()) << text << " accepted";
    if (!parsed.ok()) EXPECT_NE(parsed.status().message().find("low-order"), std::string::npos);
    testing::WriteFileOrDie(tmp / "org.pub", "# public key\n" + text + "\n");
    EXPECT_EQ(ReadOrgPublicKey(tmp / "org.pub").status().code(), Code::kInvalidArgument);

    const OrgPublicKey key(point);
    EXPECT_TRUE(key.IsLowOrder());
    CreateOptions opts;
    opts.kdf = FastKdf();
    const std::string dir = tmp / ("store-" + std::to_string(point[0]));
    Status created = Store::Create(dir, Pass("p"), key, opts);
    EXPECT_EQ(created.code(), Code::kInvalidArgument) << created.message();
    struct stat st;
    EXPECT_NE(::stat(dir.c_str(), &st), 0) << "a store was made for a low-order key";

    auto sealed = internal::SealToOrg(key, "Example Person");
    EXPECT_FALSE(sealed.ok()) << "crypto_box_seal's failure was ignored";
  }
  // A real key passes all of these.
  std::array<uint8_t, 32> pk, sk;
  crypto_box_keypair(pk.data(), sk.data());
  EXPECT_FALSE(OrgPublicKey(pk).IsLowOrder());
  EXPECT_TRUE(OrgPublicKey::FromAgeRecipient(Recipient(pk)).ok());
  EXPECT_TRUE(internal::SealToOrg(OrgPublicKey(pk), "Example Person").ok());
}

// Item 7: the bound is twice the sensitive profile, checked before Argon2id runs.
TEST(KdfBound, AKeyFileAskingMoreThanTwiceTheSensitiveCostIsRefusedUnrun) {
  EXPECT_EQ(internal::kMaxKdfOpslimit, 2u * crypto_pwhash_OPSLIMIT_SENSITIVE);
  EXPECT_EQ(internal::kMaxKdfMemlimit, 2ull * crypto_pwhash_MEMLIMIT_SENSITIVE);
  SecretBytes key(32);
  randombytes_buf(key.data(), key.size());
  const std::string sealed =
      *internal::SealEnvelope(internal::kStoreKeyMagic, key, Pass("p"), FastKdf());
  constexpr size_t kOffOps = 12, kOffMem = 20;  // docs/formats.md, "Passphrase envelope"
  // 9 passes of the smallest memory: cheap to run, and within the old bound of 64 passes,
  // where it ran and failed only at the MAC (wrong passphrase).
  std::string greedy = sealed;
  greedy[kOffOps] = 9;
  auto r = internal::OpenEnvelope(internal::kStoreKeyMagic, greedy, Pass("p"), "store.key");
  ASSERT_EQ(r.status().code(), Code::kDamaged) << r.status().message();
  EXPECT_NE(r.status().message().find("KDF parameters out of range"), std::string::npos);
  // 8 passes is within the bound: Argon2id runs, and the altered header fails the MAC.
  greedy[kOffOps] = 8;
  r = internal::OpenEnvelope(internal::kStoreKeyMagic, greedy, Pass("p"), "store.key");
  EXPECT_EQ(r.status().code(), Code::kWrongPassphrase) << r.status().message();
  // 3 GiB (under the old bound of 4 GiB): refused before any memory is taken.
  greedy = sealed;
  const uint64_t three_gib = 3ull << 30;
  for (size_t i = 0; i < 8; ++i) greedy[kOffMem + i] = static_cast<char>(three_gib >> (8 * i));
  r = internal::OpenEnvelope(internal::kStoreKeyMagic, greedy, Pass("p"), "store.key");
  EXPECT_EQ(r.status().code(), Code::kDamaged) << r.status().message();
  // tvault never writes more than the sensitive profile, and refuses to.
  KdfParams over = KdfParams::Sensitive();
  over.opslimit = internal::kMaxKdfOpslimit + 1;
  EXPECT_FALSE(internal::SealEnvelope(internal::kStoreKeyMagic, key, Pass("p"), over).ok());
}

}  // namespace
}  // namespace tvault
