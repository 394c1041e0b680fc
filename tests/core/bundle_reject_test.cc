// Every way a bundle is rejected: whole, with a reason, and with the store byte-identical.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "bundle/format.h"
#include "crypto/age.h"
#include "store/checkpoint.h"
#include "store/store_impl.h"
#include "testing/bundle_plain.h"
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
    testing::BundlePlain parts = testing::SplitBundlePlain(plain);
    Plain p;
    p.messages = std::move(parts.messages);
    p.signature = parts.rest.substr(0, parts.rest.size() - internal::kBundleFooterSize);
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
    if (signer != nullptr) sig = *signer->Sign(payload, "tvault bundle forged for a test");
    return payload + sig + internal::BundleFooter(payload.size(), sig.size());
  }

  // Applies `edit` to the decoded messages, re-signs with ana's key, re-encrypts.
  std::string Resigned(const std::function<void(std::vector<v1::BundleMessage>&)>& edit) {
    return Forge(good_, *ana_, edit);
  }

  // Re-signs with `signer` and re-encrypts the bundle `bytes` after `edit` of its messages.
  std::string Forge(const std::string& bytes, const SignerSecretKey& signer,
                    const std::function<void(std::vector<v1::BundleMessage>&)>& edit) {
    Plain p = Split(Decrypt(bytes));
    std::vector<v1::BundleMessage> msgs(p.messages.size());
    for (size_t i = 0; i < msgs.size(); ++i) msgs[i].ParseFromString(p.messages[i]);
    edit(msgs);
    p.messages.clear();
    for (const auto& m : msgs) p.messages.push_back(m.SerializeAsString());
    return Encrypt(Join(p, &signer));
  }

  // A second monitor, Mia, with her own store (one record) and signer key, trusted by the
  // central store. Returns her genuine bundle.
  std::string MakeMia() {
    mia_ = std::make_unique<SignerSecretKey>(*SignerSecretKey::Generate());
    CreateOptions opts;
    opts.kdf = FastKdf();
    EXPECT_TRUE(Store::Create(tmp_ / "mia", Pass("pass"), org_pub_, opts).ok());
    auto mia = Open("mia");
    EXPECT_TRUE(mia->AddFacilities(DemoFacilities()).ok());
    std::vector<InputRecord> in;
    in.push_back({"one", testing::SamplePushback("MIAS OWN")});
    EXPECT_TRUE(mia->Add(std::move(in)).ok());
    EXPECT_TRUE(mia->ExportBundle(tmp_ / "mia.tvb", org_pub_, *mia_, {}).ok());
    EXPECT_TRUE(Open("central")->TrustSigner(mia_->public_key(), "mia").ok());
    return ReadFileOrDie(tmp_ / "mia.tvb");
  }

  // Mia's bundle passed off as store `victim`'s: the header names it, and the trailer carries
  // a checkpoint of its origin signed by an audit-log key of Mia's own making.
  std::string ClaimStore(const std::string& mia_bundle, const std::string& victim) {
    return Forge(mia_bundle, *mia_, [&](std::vector<v1::BundleMessage>& m) {
      m[0].mutable_header()->set_store_id(victim);
      v1::BundleTrailer* t = m.back().mutable_trailer();
      Checkpoint cp = *VerifyCheckpointNote(t->checkpoint_note(), t->log_verifier_key());
      cp.origin = internal::kCheckpointOriginPrefix + victim;
      SecretBytes seed(internal::kCheckpointSeedSize);
      randombytes_buf(seed.data(), seed.size());
      t->set_checkpoint_note(internal::SignCheckpoint(cp, seed));
      t->set_log_verifier_key(internal::VerifierKeyFor(cp.origin, seed));
      t->clear_log_proofs();
    });
  }

  // The monitor's next bundle, with one new record.
  std::string NextMonitorBundle(const std::string& name) {
    auto monitor = Open("monitor");
    std::vector<InputRecord> in;
    in.push_back({"one", testing::SamplePushback("NEXT " + name)});
    EXPECT_TRUE(monitor->Add(std::move(in)).ok());
    EXPECT_TRUE(monitor->ExportBundle(tmp_ / name, org_pub_, *ana_, {}).ok());
    return tmp_ / name;
  }

  TempDir tmp_;
  OrgPublicKey org_pub_;
  std::unique_ptr<OrgSecretKey> org_;
  std::unique_ptr<SignerSecretKey> ana_, mia_;
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
  ExpectRejected(Resigned([](auto& m) {
                   m[0].mutable_header()->set_format_version(kBundleFormatVersion + 1);
                 }),
                 Code::kUnsupported, "newer");
}

// Format 4 carries the facilities its testimonies refer to; formats 2 and 3, which did not,
// are still accepted (without facilities), and a format 2 or 3 bundle claiming some is refused.
TEST_F(BundleRejectTest, FormatsTwoAndThreeAreAcceptedWithoutFacilities) {
  v1::BundleMessage trailer;
  ASSERT_TRUE(trailer.ParseFromString(Split(Decrypt(good_)).messages.back()));
  ASSERT_GT(trailer.trailer().facilities_size(), 0);
  for (uint32_t version : {2u, 3u}) {
    ExpectRejected(
        Resigned([&](auto& m) { m[0].mutable_header()->set_format_version(version); }),
        Code::kDamaged, "format " + std::to_string(version) + " bundle carries facilities");
  }
  ExpectRejected(Resigned([](auto& m) {
                   m.back().mutable_trailer()->mutable_facilities(0)->set_country("XX");
                 }),
                 Code::kDamaged, "facility 1 is not valid");
  WriteFileOrDie(tmp_ / "three.tvb", Resigned([](auto& m) {
                   m[0].mutable_header()->set_format_version(3);
                   m.back().mutable_trailer()->clear_facilities();
                 }));
  auto r = Open("central")->ImportBundle(tmp_ / "three.tvb", *org_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->new_records, 200u);
  EXPECT_TRUE(r->facilities_added.empty());
}

// A holder of another organisation's secret decrypts a monitor's bundle and encrypts it, its
// signature untouched, to that organisation: the signature covers the recipient, so the other
// organisation's store refuses it, byte-identical; the bundle made for it still imports.
TEST_F(BundleRejectTest, ReEncryptedToAnotherOrganisation) {
  const OrgPublicKey other_pub = *ReadOrgPublicKey(tmp_ / "other.pub");
  CreateOptions opts;
  opts.kdf = FastKdf();
  ASSERT_TRUE(Store::Create(tmp_ / "other-central", Pass("pass"), other_pub, opts).ok());
  {
    auto s = Open("other-central");
    ASSERT_TRUE(s->AddFacilities(DemoFacilities()).ok());
    ASSERT_TRUE(s->TrustSigner(ana_->public_key(), "ana").ok());
  }
  const OrgSecretKey other = *ReadOrgSecretKey(tmp_ / "other.key", Pass("org pass"));
  std::ostringstream out;
  auto writer = internal::AgeWriter::Create(other_pub, &out);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(Decrypt(good_)).ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  WriteFileOrDie(tmp_ / "reencrypted.tvb", out.str());
  auto before = ReadTree(tmp_ / "other-central");
  {
    auto r = Open("other-central")->ImportBundle(tmp_ / "reencrypted.tvb", other);
    ASSERT_FALSE(r.ok()) << "a bundle re-encrypted to another organisation was accepted";
    EXPECT_EQ(r.status().code(), Code::kDamaged) << r.status().message();
    EXPECT_NE(r.status().message().find("another organisation"), std::string::npos)
        << r.status().message();
  }
  EXPECT_TRUE(ReadTree(tmp_ / "other-central") == before);
  auto r = Open("other-central")->ImportBundle(tmp_ / "other.tvb", other);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->new_records, 200u);
}

// Formats 3 and 4 only added attachments and facilities: a format 2 bundle (a monitor's device
// not yet updated) still imports, whole.
TEST_F(BundleRejectTest, FormatTwoIsStillAccepted) {
  WriteFileOrDie(tmp_ / "v2.tvb", Resigned([](auto& m) {
                   ASSERT_EQ(m[0].header().attachments(), 0u);
                   m[0].mutable_header()->set_format_version(2);
                   m.back().mutable_trailer()->clear_facilities();  // format 4 on
                 }));
  auto r = Open("central")->ImportBundle(tmp_ / "v2.tvb", *org_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->new_records, 200u);
  EXPECT_EQ(r->attachments_added, 0u);
}

// Format 1 did not sign its recipient: a version-1 bundle is refused with what to do.
TEST_F(BundleRejectTest, FormatOneIsRefusedWithAdvice) {
  ExpectRejected(Resigned([](auto& m) {
                   m[0].mutable_header()->set_format_version(1);
                   m[0].mutable_header()->clear_recipient();
                 }),
                 Code::kUnsupported, "bundle export --all");
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

namespace tvault {
namespace {

// Issue 19, item 1. Mia, a trusted monitor, sends a bundle claiming the store of Ana's monitor
// with a checkpoint signed by a log key of her own. Ana's store was seen first: its id and key
// belong to Ana's trust entry, so Mia's bundle is refused and Ana's next bundle still imports
// (before the fix, the forged bundle was accepted and Ana's next one refused as "audit-log key
// changed").
TEST_F(BundleRejectTest, ATrustedMonitorCannotClaimAnotherStoresId) {
  const std::string mia_bundle = MakeMia();
  const std::string victim = Open("monitor")->store_id();
  {
    auto r = Open("central")->ImportBundle(tmp_ / "good.tvb", *org_);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_TRUE(r->signer_bound);
    EXPECT_EQ(r->source_store, victim);
  }
  ExpectRejected(ClaimStore(mia_bundle, victim), Code::kInvalidArgument,
                 "which belongs to the trusted signer \"ana\"");
  auto r = Open("central")->ImportBundle(NextMonitorBundle("next.tvb"), *org_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->signer_bound);
  EXPECT_EQ(r->new_records, 1u);
  // Mia's own bundle binds Mia to her store; each entry shows its store.
  auto mine = Open("central")->ImportBundle(tmp_ / "mia.tvb", *org_);
  ASSERT_TRUE(mine.ok()) << mine.status().message();
  EXPECT_TRUE(mine->signer_bound);
  for (const TrustedSigner& t : *Open("central")->TrustedSigners()) {
    EXPECT_EQ(t.store_id, t.name == "ana" ? victim : Open("mia")->store_id()) << t.name;
    EXPECT_EQ(t.log_key, t.name == "ana" ? Open("monitor")->LogVerifierKey()
                                         : Open("mia")->LogVerifierKey());
  }
  // Which signer brought each version is recorded: Ana's key for Ana's 201 versions, Mia's for
  // Mia's one.
  const std::string rows =
      testing::DumpStoreTables(tmp_ / "central", Pass("pass"), {"version_sources"});
  const std::string ana_id = ana_->public_key().KeyIdHex(), mia_id = mia_->public_key().KeyIdHex();
  size_t ana_rows = 0, mia_rows = 0;
  for (size_t at = rows.find(ana_id); at != std::string::npos; at = rows.find(ana_id, at + 1)) {
    ++ana_rows;
  }
  for (size_t at = rows.find(mia_id); at != std::string::npos; at = rows.find(mia_id, at + 1)) {
    ++mia_rows;
  }
  EXPECT_EQ(ana_rows, 201u);
  EXPECT_EQ(mia_rows, 1u);
}

// The same when Mia's entry was bound first, by her own genuine bundle: a bundle of hers from
// another store is refused.
TEST_F(BundleRejectTest, ABoundSignerCannotSendAnotherStoresBundle) {
  const std::string mia_bundle = MakeMia();
  ASSERT_TRUE(Open("central")->ImportBundle(tmp_ / "mia.tvb", *org_).ok());
  ExpectRejected(ClaimStore(mia_bundle, Open("monitor")->store_id()), Code::kInvalidArgument,
                 "is bound to store " + Open("mia")->store_id());
  auto r = Open("central")->ImportBundle(tmp_ / "good.tvb", *org_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->new_records, 200u);
}

// Bound at `trust add` with the monitor's log key, Ana's store is protected even from a forged
// bundle that arrives before any of Ana's.
TEST_F(BundleRejectTest, BindingAtTrustAddProtectsBeforeTheFirstBundle) {
  const std::string mia_bundle = MakeMia();
  {
    auto central = Open("central");
    ASSERT_TRUE(central->DistrustSigner("ana").ok());
    const std::string key = Open("monitor")->LogVerifierKey();
    ASSERT_TRUE(central->TrustSigner(ana_->public_key(), "ana", key).ok());
    // The same store cannot be bound to a second entry; a malformed key is refused.
    EXPECT_EQ(central->TrustSigner(mia_->public_key(), "mia2", key).code(), Code::kAlreadyExists);
    EXPECT_EQ(central->TrustSigner(SignerSecretKey::Generate()->public_key(), "x", "tvault/x+1+2")
                  .code(),
              Code::kInvalidArgument);
  }
  ExpectRejected(ClaimStore(mia_bundle, Open("monitor")->store_id()), Code::kInvalidArgument,
                 "which belongs to the trusted signer \"ana\"");
  auto r = Open("central")->ImportBundle(tmp_ / "good.tvb", *org_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->signer_bound);  // bound already
  // Ana's key with another log key for her own store: refused too.
  ExpectRejected(Forge(good_, *ana_,
                       [&](std::vector<v1::BundleMessage>& m) {
                         v1::BundleTrailer* t = m.back().mutable_trailer();
                         Checkpoint cp =
                             *VerifyCheckpointNote(t->checkpoint_note(), t->log_verifier_key());
                         SecretBytes seed(internal::kCheckpointSeedSize);
                         randombytes_buf(seed.data(), seed.size());
                         t->set_checkpoint_note(internal::SignCheckpoint(cp, seed));
                         t->set_log_verifier_key(internal::VerifierKeyFor(cp.origin, seed));
                         t->clear_log_proofs();
                       }),
                 Code::kInvalidArgument, "audit-log key is not the one");
}

// Issue 19, item 2. A trusted monitor's bundle re-sends version 3 of a record whose agreed
// line is 1..4 (4 a deletion) naming another parent that sorts lower. Before the fix the stored
// version 3 was re-parented: the agreed line ended at version 2 and the deletion was undone
// without a conflict. Now the copy is another version, set aside, and the line is unchanged.
TEST_F(BundleRejectTest, AReSentVersionWithAnotherParentCannotShortenTheAgreedLine) {
  ASSERT_TRUE(Open("central")->ImportBundle(tmp_ / "good.tvb", *org_).ok());
  std::string id;
  {
    auto monitor = Open("monitor");
    id = (*monitor->List({}))[0].id;
    for (const char* tag : {" [second]", " [third]"}) {
      v1::Testimony t = monitor->Get(id)->testimony;
      t.set_narrative(t.narrative() + tag);
      ASSERT_TRUE(monitor->Edit(id, {"edit", t}).ok());
    }
    ASSERT_TRUE(monitor->Delete(id, "duplicate").ok());
    ASSERT_TRUE(monitor->ExportBundle(tmp_ / "hist.tvb", org_pub_, *ana_, {}).ok());
  }
  ASSERT_TRUE(Open("central")->ImportBundle(tmp_ / "hist.tvb", *org_).ok());
  auto line = [&]() {
    auto central = Open("central");
    std::string out;
    for (const RecordVersion& v : *central->History(id)) {
      out += std::to_string(v.info.version) + (v.info.deleted ? "d " : " ");
    }
    return out;
  };
  ASSERT_EQ(line(), "1 2 3 4d ");
  const std::string hist = ReadFileOrDie(tmp_ / "hist.tvb");
  // Keeps the records `keep` picks (after `change` each), with counts to match.
  auto only = [&](const std::function<bool(v1::BundleRecord*)>& keep) {
    return Forge(hist, *ana_, [&](std::vector<v1::BundleMessage>& m) {
      std::vector<v1::BundleMessage> out = {m.front()};
      uint64_t n = 0, tombs = 0;
      for (size_t i = 1; i + 1 < m.size(); ++i) {
        if (!keep(m[i].mutable_record())) continue;
        out.push_back(m[i]);
        ++n;
        tombs += m[i].record().tombstone();
      }
      out.push_back(m.back());
      out.front().mutable_header()->set_record_versions(n);
      out.front().mutable_header()->set_tombstones(tombs);
      out.back().mutable_trailer()->set_record_count(n);
      m = out;
    });
  };
  const std::string low_parent(32, '\0');
  WriteFileOrDie(tmp_ / "reparent.tvb", only([&](v1::BundleRecord* r) {
                   if (r->id() != id || r->version() != 3) return false;
                   r->set_parent_hash(low_parent);
                   return true;
                 }));
  {
    auto r = Open("central")->ImportBundle(tmp_ / "reparent.tvb", *org_);
    if (r.ok()) EXPECT_EQ(r->conflicting, 1u) << "a differing parent was taken silently";
  }
  EXPECT_EQ(line(), "1 2 3 4d ");
  EXPECT_TRUE(Open("central")->Get(id)->info.deleted);

  // A version made from the deletion (an undeletion) is not taken silently either: the record
  // stays deleted, with an open conflict that `resolve` settles.
  std::string v5_body;
  std::string v4_hash;
  WriteFileOrDie(tmp_ / "undelete.tvb", only([&](v1::BundleRecord* r) {
                   if (r->id() != id) return false;
                   if (r->version() == 3) v5_body = r->body();
                   if (r->version() != 4) return false;
                   v4_hash = internal::Sha256(r->reason());
                   r->set_version(5);
                   r->set_tombstone(false);
                   r->set_reason("");
                   r->set_body(v5_body);
                   r->set_parent_hash(v4_hash);
                   return true;
                 }));
  auto r = Open("central")->ImportBundle(tmp_ / "undelete.tvb", *org_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->conflicting, 1u);
  EXPECT_EQ(line(), "1 2 3 4d ");
  auto conflicts = *Open("central")->Conflicts();
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].id, id);
  EXPECT_EQ(conflicts[0].agreed_version, 4u);
  ASSERT_EQ(conflicts[0].candidates.size(), 1u);
  ASSERT_TRUE(Open("central")->Resolve(id, conflicts[0].candidates[0].token).ok());
  EXPECT_EQ(line(), "1 2 3 4d 5 ");
}

}  // namespace
}  // namespace tvault
