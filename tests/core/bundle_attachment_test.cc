// Attachments in the bundle payload (format 3 on), below the age layer: the scan checks every
// chunk against the attachment's SHA-256 and sizes, whatever the age layer let through.
#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>
#include <functional>
#include <sstream>

#include "bundle/format.h"
#include "crypto/age.h"
#include "store/attachment_store.h"
#include "testing/bundle_plain.h"
#include "testing/test_util.h"
#include "util/clock.h"
#include "tvault/store.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::ReadFileOrDie;
using testing::ReadTree;
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

  // The bundle's messages after `edit`, signed anew with the monitor's key (as a trusted
  // device whose software misbehaves would) and encrypted to the organisation.
  std::string Forge(const std::function<void(std::vector<v1::BundleMessage>&)>& edit) {
    std::vector<v1::BundleMessage> msgs;
    for (const std::string& bytes : testing::SplitBundlePlain(plain_).messages) {
      msgs.emplace_back();
      EXPECT_TRUE(msgs.back().ParseFromString(bytes));
    }
    edit(msgs);
    std::string payload;
    for (const auto& m : msgs) {
      const std::string bytes = m.SerializeAsString();
      internal::AppendVarint(&payload, bytes.size());
      payload += bytes;
    }
    const std::string sig = *signer_->Sign(payload, "tvault bundle forged for a test");
    std::ostringstream out;
    auto writer = internal::AgeWriter::Create(org_->public_key(), &out);
    EXPECT_TRUE(writer.ok());
    EXPECT_TRUE(
        (*writer)->Write(payload + sig + internal::BundleFooter(payload.size(), sig.size())).ok());
    EXPECT_TRUE((*writer)->Finish().ok());
    return out.str();
  }

  // Rewrites the custody statement of a bundled attachment after its fields were edited, as a
  // forger would, so that only the checks behind it can catch the edit.
  static void Recustody(v1::BundleAttachment* a) {
    AttachmentInfo i;
    i.id = a->id();
    i.record_id = a->record_id();
    i.kind = a->kind();
    i.media_type = a->media_type();
    i.stripped = a->stripped();
    i.received_size = a->received_size();
    i.received_sha256 = internal::ToHex(a->received_hash());
    i.stored_size = a->stored_size();
    i.stored_sha256 = internal::ToHex(a->stored_hash());
    i.sealed_size = a->sealed_size();
    i.sealed_sha256 = internal::ToHex(a->sealed_hash());
    i.added_at = a->added_at();
    a->set_custody(internal::CustodyStatement(i));
  }

  // A central store trusting the monitor's key, for imports.
  std::unique_ptr<Store> Central() {
    if (!std::filesystem::exists(tmp_ / "c")) {
      CreateOptions opts;
      opts.kdf = FastKdf();
      EXPECT_TRUE(Store::Create(tmp_ / "c", Pass("pass"), org_->public_key(), opts).ok());
      auto c = std::move(Store::Open(tmp_ / "c", Pass("pass"))).value();
      EXPECT_TRUE(c->TrustSigner(signer_->public_key(), "monitor").ok());
    }
    return std::move(Store::Open(tmp_ / "c", Pass("pass"))).value();
  }

  // Imports `bytes` into the central store: rejected with kDamaged and `reason`, the store's
  // files byte-identical.
  void ExpectRejected(const std::string& bytes, const std::string& reason) {
    Central();
    WriteFileOrDie(tmp_ / "forged.tvb", bytes);
    auto before = ReadTree(tmp_ / "c");
    {
      auto r = Central()->ImportBundle(tmp_ / "forged.tvb", *org_);
      ASSERT_FALSE(r.ok()) << "accepted";
      EXPECT_EQ(r.status().code(), Code::kDamaged) << r.status().message();
      EXPECT_NE(r.status().message().find(reason), std::string::npos) << r.status().message();
    }
    EXPECT_TRUE(ReadTree(tmp_ / "c") == before) << "a rejected bundle changed the store";
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

// Format 2 had no attachments: a format 2 header followed by one is damaged, even signed.
TEST_F(BundleAttachmentTest, AFormatTwoBundleCannotCarryAttachments) {
  ExpectRejected(Forge([](auto& m) { m[0].mutable_header()->set_format_version(2); }),
                 "an attachment in a format 2 bundle");
}

// Format 3 carried attachments but no facilities: a monitor's device not yet at format 4
// sends its attachments, and they import.
TEST_F(BundleAttachmentTest, AFormatThreeBundleBringsItsAttachments) {
  WriteFileOrDie(tmp_ / "v3.tvb", Forge([](auto& m) {
                   ASSERT_EQ(m.back().trailer().facilities_size(), 0);
                   m[0].mutable_header()->set_format_version(3);
                 }));
  auto r = Central()->ImportBundle(tmp_ / "v3.tvb", *org_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->attachments_added, 1u);
  EXPECT_EQ(r->new_records, 1u);
}

// Format 4: one bundle carries a facility testimony's attachment and its facility's registry
// entry; the central store, whose registry lacks it, gets both, and the file opens intact.
TEST_F(BundleAttachmentTest, OneBundleCarriesAnAttachmentAndAFacility) {
  ASSERT_TRUE(store_->AddFacilities({testing::SampleFacilityEntry("HR-DET-77")}).ok());
  std::vector<InputRecord> v(1);
  v[0].where = "record 1";
  v[0].testimony = testing::SampleFacility("HR-DET-77", "BUNDLEFAC");
  auto added = store_->Add(std::move(v));
  ASSERT_TRUE(added.ok()) << added.status().message();
  const std::string facility_record = (*added)[0];
  const std::string photo(5000, 'p');
  WriteFileOrDie(tmp_ / "second.bin", photo);
  AttachOptions a;
  a.keep_metadata = true;
  ASSERT_TRUE(store_->Attach(facility_record, tmp_ / "second.bin", a).ok());
  ASSERT_TRUE(store_->ExportBundle(tmp_ / "b2.tvb", org_->public_key(), *signer_, {}).ok());

  auto central = Central();
  auto r = central->ImportBundle(tmp_ / "b2.tvb", *org_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->new_records, 1u);
  EXPECT_EQ(r->attachments_added, 1u);
  ASSERT_EQ(r->facilities_added, std::vector<std::string>{"HR-DET-77"});
  EXPECT_TRUE(r->facility_differences.empty());
  auto registry = central->ListFacilities();
  ASSERT_TRUE(registry.ok());
  ASSERT_EQ(registry->size(), 1u);
  EXPECT_EQ((*registry)[0].name(), testing::SampleFacilityEntry("HR-DET-77").name());
  std::string opened;
  auto o = central->OpenAttachment(facility_record, 1, *org_, [&](std::string_view p) {
    opened.append(p);
    return Status::Ok();
  });
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_TRUE(opened == photo);
}

// Import applies attach's metadata filter again to what it decrypts: the file must be of the
// media type recorded (sniffed from its bytes), and one recorded as stripped must be of a type
// tvault strips. The custody statements are forged to match, so only these checks catch it.
TEST_F(BundleAttachmentTest, ImportChecksTheMetadataFilterOnTheDecryptedFile) {
  auto attachment = [](std::vector<v1::BundleMessage>& m) {
    for (auto& msg : m) {
      if (msg.has_attachment()) return msg.mutable_attachment();
    }
    ADD_FAILURE() << "no attachment in the bundle";
    return m[0].mutable_attachment();
  };
  ExpectRejected(Forge([&](auto& m) {
                   v1::BundleAttachment* a = attachment(m);
                   ASSERT_EQ(a->media_type(), "application/octet-stream");
                   a->set_media_type("image/png");
                   Recustody(a);
                 }),
                 "not of its recorded media type");
  ExpectRejected(Forge([&](auto& m) {
                   v1::BundleAttachment* a = attachment(m);
                   a->set_stripped(true);
                   Recustody(a);
                 }),
                 "a type tvault cannot strip");
  // The genuine bundle still imports into the same store.
  auto r = Central()->ImportBundle(tmp_ / "b.tvb", *org_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->attachments_added, 1u);
}

}  // namespace
}  // namespace tvault
