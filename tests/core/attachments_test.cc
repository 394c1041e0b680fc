// Attachments through the public API: a file of several stored rows round-trips through the
// organisation secret only, the row size bounds what is held, the stripping filters drop what
// they must, and a damaged row is found.
#include <gtest/gtest.h>
#include <sodium.h>

#include "attach/media.h"
#include "testing/test_util.h"
#include "tvault/store.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::TempDir;
using testing::WriteFileOrDie;

class AttachmentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp_ / "org", Pass("org pass"), FastKdf()).ok());
    dir_ = tmp_ / "vault";
    CreateOptions opts;
    opts.kdf = FastKdf();
    ASSERT_TRUE(Store::Create(dir_, Pass("store pass"), *ReadOrgPublicKey(tmp_ / "org.pub"),
                              opts).ok());
    store_ = std::move(Store::Open(dir_, Pass("store pass"))).value();
    org_ = std::make_unique<OrgSecretKey>(
        std::move(ReadOrgSecretKey(tmp_ / "org.key", Pass("org pass"))).value());
    std::vector<InputRecord> v(1);
    v[0].where = "record 1";
    v[0].testimony = testing::SamplePushback("ATTACHCORE");
    id_ = (*store_->Add(std::move(v)))[0];
  }

  TempDir tmp_;
  std::string dir_, id_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<OrgSecretKey> org_;
};

TEST_F(AttachmentsTest, ALargeFileRoundTripsInRowsOnlyWithTheOrgSecret) {
  // 3.5 MiB of random bytes: an unknown type, so stored as received, in four rows.
  std::string data(3 * kAttachmentChunkBytes + kAttachmentChunkBytes / 2, '\0');
  randombytes_buf(data.data(), data.size());
  WriteFileOrDie(tmp_ / "blob.bin", data);
  AttachOptions opts;
  EXPECT_EQ(store_->Attach(id_, tmp_ / "blob.bin", opts).status().code(), Code::kUnsupported);
  opts.keep_metadata = true;
  auto r = store_->Attach(id_, tmp_ / "blob.bin", opts);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->info.number, 1u);
  EXPECT_EQ(r->info.kind, "other");
  EXPECT_EQ(r->info.stored_size, data.size());
  EXPECT_GT(r->info.sealed_size, data.size());
  ASSERT_EQ(r->warnings.size(), 1u);

  std::string opened;
  size_t largest_piece = 0;
  auto o = store_->OpenAttachment(id_, 1, *org_, [&](std::string_view piece) {
    opened.append(piece);
    largest_piece = std::max(largest_piece, piece.size());
    return Status::Ok();
  });
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_TRUE(opened == data);
  EXPECT_LE(largest_piece, 64u * 1024);

  std::string sealed;
  ASSERT_TRUE(store_->ExportSealedAttachment(id_, 1, [&](std::string_view piece) {
    sealed.append(piece);
    return Status::Ok();
  }).ok());
  EXPECT_EQ(sealed.size(), r->info.sealed_size);
  EXPECT_EQ(testing::AgeDecrypt(*org_, sealed), data);
  EXPECT_EQ(sealed.find(data.substr(1000, 64)), std::string::npos);
}

TEST_F(AttachmentsTest, ADamagedRowIsFoundAndNotHandedOverAsWhole) {
  std::string data(2 * kAttachmentChunkBytes, 'x');
  WriteFileOrDie(tmp_ / "blob.bin", data);
  AttachOptions opts;
  opts.keep_metadata = true;
  auto r = store_->Attach(id_, tmp_ / "blob.bin", opts);
  ASSERT_TRUE(r.ok()) << r.status().message();
  store_.reset();
  testing::ExecOnStoreOrDie(dir_, Pass("store pass"),
                            "UPDATE attachment_chunks SET data = substr(data, 1, 1000) || CASE "
                            "WHEN substr(data, 1001, 1) = x'00' THEN x'01' ELSE x'00' END || "
                            "substr(data, 1002) WHERE seq = 1");
  store_ = std::move(Store::Open(dir_, Pass("store pass"))).value();
  auto o = store_->OpenAttachment(id_, 1, *org_, [](std::string_view) { return Status::Ok(); });
  EXPECT_EQ(o.status().code(), Code::kDamaged) << o.status().message();
  auto e = store_->ExportSealedAttachment(id_, 1, [](std::string_view) { return Status::Ok(); });
  EXPECT_EQ(e.status().code(), Code::kDamaged) << e.status().message();
}

TEST_F(AttachmentsTest, DeletedRecordsTakeNoAttachments) {
  WriteFileOrDie(tmp_ / "a.bin", "abc");
  ASSERT_TRUE(store_->Delete(id_, "duplicate").ok());
  AttachOptions opts;
  opts.keep_metadata = true;
  EXPECT_EQ(store_->Attach(id_, tmp_ / "a.bin", opts).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->Attach("0123456789abcdef0123456789abcdef", tmp_ / "a.bin", opts)
                .status().code(), Code::kNotFound);
}

TEST(StripFilters, JpegDropsAppSegmentsCommentsAndTrailingData) {
  // SOI, APP0 JFIF, APP1 "Exif", COM, APP2 "MPF", DQT(len 3), SOS(len 3) data, EOI, trailer.
  std::string jpeg("\xFF\xD8", 2);
  jpeg += std::string("\xFF\xE0\x00\x07JFIF\0", 9);
  jpeg += std::string("\xFF\xE1\x00\x08" "Exif\0\0", 10);
  jpeg += std::string("\xFF\xFE\x00\x08SECRET", 10);
  jpeg += std::string("\xFF\xE2\x00\x06MPF\0", 8);
  jpeg += std::string("\xFF\xDB\x00\x03\x01", 5);
  jpeg += std::string("\xFF\xDA\x00\x03\x01\x12\xFF\x00\x34", 9);
  jpeg += std::string("\xFF\xD9", 2) + "TRAILINGSECRET";
  auto out = internal::StripJpegSegments(jpeg);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, std::string("\xFF\xD8\xFF\xE0\x00\x07JFIF\0\xFF\xDB\x00\x03\x01"
                              "\xFF\xDA\x00\x03\x01\x12\xFF\x00\x34\xFF\xD9", 27));
  EXPECT_FALSE(internal::StripJpegSegments(jpeg.substr(0, 30)).ok());
}

TEST(StripFilters, SniffingUsesBytesNotNames) {
  EXPECT_EQ(internal::SniffMediaType("\xFF\xD8\xFF\xE0").name, "image/jpeg");
  EXPECT_EQ(internal::SniffMediaType("%PDF-1.7").name, "application/pdf");
  EXPECT_EQ(internal::SniffMediaType(std::string("\0\0\0\x18" "ftypheic", 12)).name, "image/heic");
  EXPECT_FALSE(internal::SniffMediaType(std::string("\0\0\0\x18" "ftypheic", 12)).strippable);
  EXPECT_EQ(internal::SniffMediaType(std::string("\0\0\0\x18" "ftypisom", 12)).name, "video/mp4");
  EXPECT_EQ(internal::SniffMediaType("hello").name, "application/octet-stream");
}

}  // namespace
}  // namespace tvault
