// Every way a bundle is rejected: whole, with a reason, and with the store byte-identical.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "bundle/format.h"
#include "crypto/age.h"
#include "testing/log_forge.h"
#include "testing/test_util.h"
#include "tvault/demo.h"
#include "tvault/store.h"

namespace tvault {
namespace {

using testing::FastKdf;
using testing::Pass;
using testing::ReadFileOrDie;
using testing::ReadTree;
using testing::TempDir;
using testing::WriteFileOrDie;

// A bundle's plaintext, taken apart.
struct Plain {
  std::vector<std::string> messages;  // serialized BundleMessage, without length prefixes
  std::string signature;
};

class BundleRejectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp_ / "org", Pass("org pass"), FastKdf()).ok());
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp_ / "other", Pass("org pass"), FastKdf()).ok());
    org_pub_ = *ReadOrgPublicKey(tmp_ / "org.pub");
    org_ = std::make_unique<OrgSecretKey>(*ReadOrgSecretKey(tmp_ / "org.key", Pass("org pass")));
    ana_ = std::make_unique<SignerSecretKey>(*SignerSecretKey::Generate());
    CreateOptions opts;
    opts.kdf = FastKdf();
    for (const char* name : {"monitor", "central"}) {
      ASSERT_TRUE(Store::Create(tmp_ / name, Pass("pass"), org_pub_, opts).ok());
      auto s = Open(name);
      ASSERT_TRUE(s->AddFacilities(DemoFacilities()).ok());
    }
    {
      auto monitor = Open("monitor");
      DemoOptions o;
      o.count = 200;  // over two 64 KiB age chunks
      std::vector<InputRecord> in;
      for (auto& t : GenerateDemoTestimonies(o)) in.push_back({"demo", std::move(t)});
      ASSERT_TRUE(monitor->Add(std::move(in)).ok());
      ASSERT_TRUE(monitor->ExportBundle(tmp_ / "good.tvb", org_pub_, *ana_, {}).ok());
      BundleExportOptions all;
      all.all = true;
      ASSERT_TRUE(
          monitor->ExportBundle(tmp_ / "other.tvb", *ReadOrgPublicKey(tmp_ / "other.pub"), *ana_,
                                all)
              .ok());
    }
    ASSERT_TRUE(Open("central")->TrustSigner(ana_->public_key(), "ana").ok());
    good_ = ReadFileOrDie(tmp_ / "good.tvb");
    ASSERT_GT(good_.size(), 2 * internal::kAgeChunkSize);
  }

  std::unique_ptr<Store> Open(const std::string& name) {
    return std::move(Store::Open(tmp_ / name, Pass("pass"))).value();
  }

  // Imports `bytes` as a bundle into the central store and expects a rejection with `code`
  // and a message containing `reason`, leaving the store byte-identical.
  void ExpectRejected(const std::string& bytes, Code code, const std::string& reason) {
    const std::string path = tmp_ / "candidate.tvb";
    WriteFileOrDie(path, bytes);
    auto before = ReadTree(tmp_ / "central");
    {
      auto central = Open("central");
      auto r = central->ImportBundle(path, *org_);
      ASSERT_FALSE(r.ok()) << "accepted";
      EXPECT_EQ(r.status().code(), code) << r.status().message();
      EXPECT_NE(r.status().message().find(reason), std::string::npos) << r.status().message();
    }
    EXPECT_TRUE(ReadTree(tmp_ / "central") == before) << "a rejected bundle changed the store";
  }

  std::string Decrypt(const std::string& bytes) { return testing::AgeDecrypt(*org_, bytes); }

  std::string Encrypt(const std::string& plain) {
    std::ostringstream out;
    auto writer = internal::AgeWriter::Create(org_pub_, &out);
    EXPECT_TRUE(writer.ok());
    EXPECT_TRUE((*writer)->Write(plain).ok());
    EXPECT_TRUE((*writer)->Finish().ok());
    return out.str();
  }

  Plain Split(const std::string& plain) {
    Plain p;
    size_t pos = 0;
    for (;;) {
      uint64_t len = 0;
      int shift = 0;
      uint8_t c;
      do {
        c = static_cast<uint8_t>(plain[pos++]);
        len |= static_cast<uint64_t>(c & 0x7f) << shift;
        shift += 7;
      } while (c & 0x80);
      p.messages.push_back(plain.substr(pos, len));
      pos += len;
      v1::BundleMessage m;
      EXPECT_TRUE(m.ParseFromString(p.messages.back()));
      if (m.has_trailer()) break;
    }
    p.signature = plain.substr(pos, plain.size() - pos - internal::kBundleFooterSize);
    return p;
  }

  // Reassembles a plaintext; with `signer`, signs the payload anew (as a trusted monitor whose
  // software misbehaves would), so the structural checks are tested on their own.
  std::string Join(const Plain& p, const SignerSecretKey* signer) {
    std::string payload;
    for (const std::string& m : p.messages) {
      internal::AppendVarint(&payload, m.size());
      payload += m;
    }
    std::string sig = p.signature;
    if (signer != nullptr) sig = *signer->Sign(payload, "tvault bundle v1 forged for a test");
    return payload + sig + internal::BundleFooter(payload.size(), sig.size());
  }

  // Applies `edit` to the decoded messages, re-signs with ana's key, re-encrypts.
  std::string Resigned(const std::function<void(std::vector<v1::BundleMessage>&)>& edit) {
    Plain p = Split(Decrypt(good_));
    std::vector<v1::BundleMessage> msgs(p.messages.size());
    for (size_t i = 0; i < msgs.size(); ++i) msgs[i].ParseFromString(p.messages[i]);
    edit(msgs);
    p.messages.clear();
    for (const auto& m : msgs) p.messages.push_back(m.SerializeAsString());
    return Encrypt(Join(p, ana_.get()));
  }

  TempDir tmp_;
  OrgPublicKey org_pub_;
  std::unique_ptr<OrgSecretKey> org_;
  std::unique_ptr<SignerSecretKey> ana_;
  std::string good_;
};

TEST_F(BundleRejectTest, TheUntouchedBundleImports) {
  // The control: everything below is rejected only for what the test changed.
  Plain p = Split(Decrypt(good_));
  EXPECT_EQ(p.messages.size(), 202u);
  auto central = Open("central");
  auto r = central->ImportBundle(tmp_ / "good.tvb", *org_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->new_records, 200u);
}

TEST_F(BundleRejectTest, UnknownSigner) {
  ASSERT_TRUE(Open("central")->DistrustSigner("ana").ok());
  ExpectRejected(good_, Code::kInvalidArgument, "does not trust");
}

TEST_F(BundleRejectTest, WrongRecipient) {
  ExpectRejected(ReadFileOrDie(tmp_ / "other.tvb"), Code::kInvalidArgument,
                 "not encrypted to this organisation key");
}

TEST_F(BundleRejectTest, Truncated) {
  const size_t header_end = good_.find("\n", good_.find("\n---") + 1) + 1;
  const size_t chunk = internal::kAgeChunkSize + internal::kAgeTagSize;
  ExpectRejected(good_.substr(0, 20), Code::kDamaged, "not an age file");
  // Inside the header, after it, at a chunk boundary, inside a chunk, one byte short.
  for (size_t cut : {size_t{60}, header_end, header_end + 16, header_end + 16 + chunk,
                     header_end + 16 + chunk + 100, good_.size() - 1}) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    ExpectRejected(good_.substr(0, cut), Code::kDamaged, "truncated");
  }
}

TEST_F(BundleRejectTest, AlteredCiphertext) {
  for (size_t pos : {good_.size() / 3, good_.size() / 2, good_.size() - 5}) {
    std::string bad = good_;
    bad[pos] ^= 0x01;
    SCOPED_TRACE("byte " + std::to_string(pos));
    ExpectRejected(bad, Code::kDamaged, "");
  }
}

TEST_F(BundleRejectTest, ReorderedChunks) {
  const size_t start = good_.find("\n", good_.find("\n---") + 1) + 1 + internal::kAgePayloadNonceSize;
  const size_t chunk = internal::kAgeChunkSize + internal::kAgeTagSize;
  std::string bad = good_.substr(0, start) + good_.substr(start + chunk, chunk) +
                    good_.substr(start, chunk) + good_.substr(start + 2 * chunk);
  ASSERT_EQ(bad.size(), good_.size());
  ExpectRejected(bad, Code::kDamaged, "chunk");
}

TEST_F(BundleRejectTest, AlteredPayloadUnderTheOriginalSignature) {
  Plain p = Split(Decrypt(good_));
  v1::BundleMessage m;
  m.ParseFromString(p.messages[3]);
  m.mutable_record()->set_created_at("2020-01-01T00:00:00Z");
  p.messages[3] = m.SerializeAsString();
  ExpectRejected(Encrypt(Join(p, nullptr)), Code::kDamaged, "signature verification failed");
}

TEST_F(BundleRejectTest, SignatureOfAnotherPayload) {
  Plain p = Split(Decrypt(good_));
  Plain other = Split(Decrypt(
      Resigned([](auto& m) { m[0].mutable_header()->set_created_at("2026-01-01T00:00:00Z"); })));
  p.signature = other.signature;  // a valid signature by ana, over different bytes
  ExpectRejected(Encrypt(Join(p, nullptr)), Code::kDamaged, "signature verification failed");
}

TEST_F(BundleRejectTest, ReorderedRecordsEvenWhenSigned) {
  ExpectRejected(Resigned([](auto& m) { std::swap(m[5], m[6]); }), Code::kDamaged,
                 "out of order");
  ExpectRejected(Resigned([](auto& m) { m[6] = m[5]; }), Code::kDamaged, "out of order");
  ExpectRejected(Resigned([](auto& m) { std::swap(m[0], m[1]); }), Code::kDamaged,
                 "does not start with a header");
}

TEST_F(BundleRejectTest, DroppedOrAddedRecordsEvenWhenSigned) {
  ExpectRejected(Resigned([](auto& m) { m.erase(m.begin() + 7); }), Code::kDamaged,
                 "record counts do not match");
  // Without its trailer, the signature is read as one more message.
  ExpectRejected(Resigned([](auto& m) { m.pop_back(); }), Code::kDamaged,
                 "is not a bundle message");
}

TEST_F(BundleRejectTest, MalformedRecordsEvenWhenSigned) {
  ExpectRejected(Resigned([](auto& m) { m[4].mutable_record()->set_body("not a testimony"); }),
                 Code::kDamaged, "not this record's testimony");
  ExpectRejected(Resigned([](auto& m) { m[4].mutable_record()->set_id("../../etc"); }),
                 Code::kDamaged, "32 hex digits");
  ExpectRejected(Resigned([](auto& m) { m[4].mutable_record()->set_parent_hash("x"); }),
                 Code::kDamaged, "parent hash");
}

TEST_F(BundleRejectTest, AlteredCheckpointEvenWhenSigned) {
  ExpectRejected(Resigned([](auto& m) {
                   std::string note = m.back().trailer().checkpoint_note();
                   note[note.find('\n') + 1] ^= 1;  // the tree size
                   m.back().mutable_trailer()->set_checkpoint_note(note);
                 }),
                 Code::kDamaged, "checkpoint");
}

TEST_F(BundleRejectTest, NewerFormat) {
  ExpectRejected(Resigned([](auto& m) { m[0].mutable_header()->set_format_version(2); }),
                 Code::kUnsupported, "newer");
}

TEST_F(BundleRejectTest, BytesAfterTheSignatureOrAWrongFooter) {
  Plain p = Split(Decrypt(good_));
  std::string plain = Join(p, nullptr);
  ExpectRejected(Encrypt(plain + "x"), Code::kDamaged, "footer");
  std::string bad = plain;
  bad[bad.size() - 3] ^= 1;  // the signature length
  ExpectRejected(Encrypt(bad), Code::kDamaged, "footer");
}

TEST_F(BundleRejectTest, NotABundleAtAll) {
  ExpectRejected("hello", Code::kDamaged, "");
  ExpectRejected(Encrypt("hello, not a payload"), Code::kDamaged, "");
}

// A monitor's device rolled back to an earlier copy and written again shows a log of a size
// the central store has already received with another root: the fork is refused, and the
// checkpoint of the accepted bundle is kept.
TEST_F(BundleRejectTest, ForkedMonitorLogIsRefused) {
  ASSERT_EQ(::mkdir((tmp_ / "copy").c_str(), 0700), 0);
  for (const auto& [path, bytes] : ReadTree(tmp_ / "monitor")) {
    WriteFileOrDie(tmp_ / "copy" + path.substr((tmp_ / "monitor").size()), bytes);
  }
  auto add_and_export = [&](const std::string& name, const std::string& marker,
                            const std::string& out) {
    auto store = Open(name);
    std::vector<InputRecord> in;
    in.push_back({"one", testing::SamplePushback(marker)});
    ASSERT_TRUE(store->Add(std::move(in)).ok());
    ASSERT_TRUE(store->ExportBundle(out, org_pub_, *ana_, {}).ok());
  };
  add_and_export("monitor", "FIRSTLINE", tmp_ / "b1.tvb");
  add_and_export("copy", "SECONDLINE", tmp_ / "b2.tvb");
  {
    auto central = Open("central");
    ASSERT_TRUE(central->ImportBundle(tmp_ / "b1.tvb", *org_).ok());
    auto kept = central->ReceivedCheckpoints();
    ASSERT_TRUE(kept.ok());
    ASSERT_EQ(kept->size(), 1u);
    EXPECT_EQ((*kept)[0].origin, "tvault/store/" + Open("monitor")->store_id());
    EXPECT_EQ((*kept)[0].signer, ana_->public_key().KeyIdHex());
  }
  ExpectRejected(ReadFileOrDie(tmp_ / "b2.tvb"), Code::kDamaged, "audit log forked");
  // The earlier bundle, with a smaller log, still imports (bundles may arrive out of order),
  // and its checkpoint is kept beside the first.
  auto central = Open("central");
  ASSERT_TRUE(central->ImportBundle(tmp_ / "good.tvb", *org_).ok());
  EXPECT_EQ(central->ReceivedCheckpoints()->size(), 2u);
}

// A monitor's device whose history was rewritten, every checkpoint re-signed: its next bundle
// proves from the checkpoint of its earlier bundle, and that proof fails against the
// checkpoint the central store kept.
TEST_F(BundleRejectTest, RewrittenMonitorHistoryIsRefused) {
  ASSERT_TRUE(Open("central")->ImportBundle(tmp_ / "good.tvb", *org_).ok());
  testing::RewriteAuditEntry(tmp_ / "monitor", Pass("pass"), 2);
  {
    auto monitor = Open("monitor");
    ASSERT_TRUE(monitor->VerifyLog({})->empty());  // the device's own check sees nothing
    std::vector<InputRecord> in;
    in.push_back({"one", testing::SamplePushback("AFTERREWRITE")});
    ASSERT_TRUE(monitor->Add(std::move(in)).ok());
    ASSERT_TRUE(monitor->ExportBundle(tmp_ / "after.tvb", org_pub_, *ana_, {}).ok());
  }
  ExpectRejected(ReadFileOrDie(tmp_ / "after.tvb"), Code::kDamaged,
                 "does not extend the log of its earlier bundle");
}

// The honest case of the same: the next bundle's proof from the kept checkpoint holds.
TEST_F(BundleRejectTest, NextBundleProvesItExtendsTheEarlierOne) {
  ASSERT_TRUE(Open("central")->ImportBundle(tmp_ / "good.tvb", *org_).ok());
  {
    auto monitor = Open("monitor");
    std::vector<InputRecord> in;
    in.push_back({"one", testing::SamplePushback("HONESTNEXT")});
    ASSERT_TRUE(monitor->Add(std::move(in)).ok());
    ASSERT_TRUE(monitor->ExportBundle(tmp_ / "next.tvb", org_pub_, *ana_, {}).ok());
  }
  Plain p = Split(Decrypt(ReadFileOrDie(tmp_ / "next.tvb")));
  v1::BundleMessage last;
  ASSERT_TRUE(last.ParseFromString(p.messages.back()));
  EXPECT_EQ(last.trailer().log_proofs_size(), 2);  // from both earlier exports
  auto r = Open("central")->ImportBundle(tmp_ / "next.tvb", *org_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Open("central")->ReceivedCheckpoints()->size(), 2u);
}

}  // namespace
}  // namespace tvault
