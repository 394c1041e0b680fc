// Attachments in the bundle payload (format 3), below the age layer: the scan checks every
// chunk against the attachment's SHA-256 and sizes, whatever the age layer let through.
#include <gtest/gtest.h>
#include <sodium.h>

#include "bundle/format.h"
#include "testing/test_util.h"
#include "tvault/store.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::ReadFileOrDie;
using testing::TempDir;
using testing::WriteFileOrDie;

class BundleAttachmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp_ / "org", Pass("org pass"), FastKdf()).ok());
    org_ = std::make_unique<OrgSecretKey>(
        std::move(ReadOrgSecretKey(tmp_ / "org.key", Pass("org pass"))).value());
    CreateOptions opts;
    opts.kdf = FastKdf();
    ASSERT_TRUE(Store::Create(tmp_ / "m", Pass("pass"), org_->public_key(), opts).ok());
    store_ = std::move(Store::Open(tmp_ / "m", Pass("pass"))).value();
    std::vector<InputRecord> v(1);
    v[0].where = "record 1";
    v[0].testimony = testing::SamplePushback("BUNDLEATT");
    id_ = (*store_->Add(std::move(v)))[0];
    data_.resize(kAttachmentChunkBytes + 5000);
    randombytes_buf(data_.data(), data_.size());
    WriteFileOrDie(tmp_ / "clip.bin", data_);
    AttachOptions a;
    a.keep_metadata = true;
    ASSERT_TRUE(store_->Attach(id_, tmp_ / "clip.bin", a).ok());
    ASSERT_TRUE(store_->ExportSealedAttachment(id_, 1, [&](std::string_view p) {
      sealed_.append(p);
      return Status::Ok();
    }).ok());
    signer_ = std::make_unique<SignerSecretKey>(*SignerSecretKey::Generate());
    ASSERT_TRUE(store_->ExportBundle(tmp_ / "b.tvb", org_->public_key(), *signer_, {}).ok());
    plain_ = testing::AgeDecrypt(*org_, ReadFileOrDie(tmp_ / "b.tvb"));
  }

  Status Scan(const std::string& plain, const BundleLimits& limits = BundleLimits()) {
    size_t at = 0;
    auto r = internal::ScanBundlePlaintext(
        [&](char* buf, size_t n) -> Result<size_t> {
          const size_t k = std::min(n, plain.size() - at);
          std::memcpy(buf, plain.data() + at, k);
          at += k;
          return k;
        },
        nullptr, nullptr, "verify", internal::BundlePrehash::kCompute, limits);
    return r.status();
  }

  TempDir tmp_;
  std::unique_ptr<OrgSecretKey> org_;
  std::unique_ptr<SignerSecretKey> signer_;
  std::unique_ptr<Store> store_;
  std::string id_, data_, sealed_, plain_;
};

TEST_F(BundleAttachmentTest, TheSealedFileTravelsInChunksAndIsChecked) {
  ASSERT_TRUE(Scan(plain_).ok()) << Scan(plain_).message();
  // The age file of the attachment is in the payload, cut in two chunks.
  const size_t first = plain_.find(sealed_.substr(0, 4096));
  ASSERT_NE(first, std::string::npos);
  const size_t second = plain_.find(sealed_.substr(kAttachmentChunkBytes, 4096));
  ASSERT_NE(second, std::string::npos);
  EXPECT_GT(second, first + kAttachmentChunkBytes);

  for (size_t at : {first + 10, second + 100}) {
    std::string bad = plain_;
    bad[at] = static_cast<char>(bad[at] ^ 1);
    Status s = Scan(bad);
    EXPECT_EQ(s.code(), Code::kDamaged);
    EXPECT_NE(s.message().find("does not match its SHA-256"), std::string::npos) << s.message();
  }
  BundleLimits tight;
  tight.max_attachment_bytes = 1000;
  EXPECT_NE(Scan(plain_, tight).message().find("limit"), std::string::npos);
  tight = BundleLimits();
  tight.max_total_attachment_bytes = sealed_.size() - 1;
  EXPECT_NE(Scan(plain_, tight).message().find("limit"), std::string::npos);
}

TEST_F(BundleAttachmentTest, AnImportedAttachmentOpensToTheSameBytes) {
  CreateOptions opts;
  opts.kdf = FastKdf();
  ASSERT_TRUE(Store::Create(tmp_ / "c", Pass("pass"), org_->public_key(), opts).ok());
  auto central = std::move(Store::Open(tmp_ / "c", Pass("pass"))).value();
  ASSERT_TRUE(central->TrustSigner(signer_->public_key(), "monitor").ok());
  auto r = central->ImportBundle(tmp_ / "b.tvb", *org_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->attachments_added, 1u);
  std::string opened;
  auto o = central->OpenAttachment(id_, 1, *org_, [&](std::string_view p) {
    opened.append(p);
    return Status::Ok();
  });
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_TRUE(opened == data_);
  // Idempotent: the same bundle adds nothing.
  r = central->ImportBundle(tmp_ / "b.tvb", *org_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->attachments_added, 0u);
  EXPECT_EQ(central->Attachments(id_)->size(), 1u);
}

}  // namespace
}  // namespace tvault
