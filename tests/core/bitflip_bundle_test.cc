// Bit flips in a bundle: every single-bit change of a small bundle file (two records) is
// rejected by Store::ImportBundle with a Status naming what failed, and the importing store
// stays byte for byte as it was. The age layer authenticates every byte of the file, so these
// flips mostly stop there; the second test flips every bit of the decrypted plaintext instead,
// so that each flip reaches the bundle's own checks (framing, records, trailer, signature,
// footer). Each altered plaintext goes through import's first pass (the scan and the signer
// check, which reject before the store is touched); every 16th is also encrypted again to the
// organisation key (what someone holding that key could do) and imported, costlier per flip.
//
// minisign's untrusted comment, which no signature covers (see BitFlips.MinisignSignatureOutside
// TheUntrustedComment), is no exception here: inside a bundle it must be exactly the line tvault
// writes, so a flip there is refused too.
#include <fcntl.h>
#include <sys/stat.h>
#include <google/protobuf/stubs/logging.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "bundle/format.h"
#include "crypto/age.h"
#include "testing/bitflip.h"
#include "testing/test_util.h"
#include "tvault/store.h"

namespace tvault {
namespace {

using testing::Flip;
using testing::Pass;
using testing::ReadFileOrDie;
using testing::TempDir;
using testing::WriteFileOrDie;

class BundleBitFlips : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteNewOrgKeyPair(tmp_ / "org", Pass("pw"), testing::FastKdf()).ok());
    auto org = ReadOrgSecretKey(tmp_ / "org.key", Pass("pw"));
    ASSERT_TRUE(org.ok());
    org_ = std::make_unique<OrgSecretKey>(std::move(org).value());
    auto signer = SignerSecretKey::Generate();
    ASSERT_TRUE(signer.ok());
    signer_ = std::make_unique<SignerSecretKey>(std::move(signer).value());
    std::unique_ptr<Store> monitor = NewStore("monitor");
    ASSERT_NE(monitor, nullptr);
    std::vector<InputRecord> in;
    for (const char* marker : {"FLIPA", "FLIPB"}) {
      in.push_back({marker, testing::SamplePushback(marker)});
    }
    ASSERT_TRUE(monitor->Add(std::move(in)).ok());
    auto exported = monitor->ExportBundle(tmp_ / "small.tvb", org_->public_key(), *signer_,
                                          BundleExportOptions{});
    ASSERT_TRUE(exported.ok()) << exported.status().message();
    bundle_ = ReadFileOrDie(tmp_ / "small.tvb");
    central_ = NewStore("central");
    ASSERT_NE(central_, nullptr);
    ASSERT_TRUE(central_->TrustSigner(signer_->public_key(), "monitor").ok());
    before_ = StoreFiles();
    before_stat_ = StoreStat();
  }

  std::unique_ptr<Store> NewStore(const std::string& name) {
    CreateOptions opts;
    opts.kdf = testing::FastKdf();
    opts.monitor_id = name;
    if (!Store::Create(tmp_ / name, Pass("pw"), org_->public_key(), opts).ok()) return nullptr;
    auto s = Store::Open(tmp_ / name, Pass("pw"));
    return s.ok() ? std::move(s).value() : nullptr;
  }

  // The importing store's files, but the shared-memory index of the WAL (-shm), which SQLite
  // rewrites on reads.
  std::map<std::string, std::string> StoreFiles() const {
    std::map<std::string, std::string> out;
    for (auto& [path, bytes] : testing::ReadTree(tmp_ / "central")) {
      if (path.size() < 4 || path.compare(path.size() - 4, 4, "-shm") != 0) out[path] = bytes;
    }
    return out;
  }

  // The size and modification time of each of the importing store's files: cheap enough to
  // compare after every flip (the bytes are compared every 256 flips and at the end).
  std::map<std::string, std::pair<off_t, int64_t>> StoreStat() const {
    std::map<std::string, std::pair<off_t, int64_t>> out;
    for (const auto& [path, bytes] : before_) {
      struct stat st;
      if (::stat(path.c_str(), &st) != 0) continue;
      out[path] = {st.st_size, int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec};
    }
    return out;
  }

  // Expects the importing store as it was before the flips: by size and time after every
  // flip, byte for byte every 256th (`bit`) and at the end (bit = npos).
  void ExpectStoreUnchanged(size_t bit) {
    ASSERT_EQ(StoreStat(), before_stat_) << "after flip " << bit;
    if (bit % 256 == 0 || bit == std::string::npos) {
      ASSERT_EQ(StoreFiles(), before_) << "after flip " << bit;
    }
  }

  // Imports `bytes` as a bundle file; expects it rejected with a documented code and a message.
  // Returns whether it was. Every altered file has the original's size, so it is written over
  // the last one in place (without truncating, which costs the file system far more).
  bool ExpectImportRejected(const std::string& bytes, const std::string& what) {
    const std::string path = tmp_ / "flipped.tvb";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0600);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(::pwrite(fd, bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size()));
    ::close(fd);
    auto r = central_->ImportBundle(path, *org_);
    if (r.ok()) {
      ADD_FAILURE() << what << ": accepted";
      return false;
    }
    const Code c = r.status().code();
    EXPECT_TRUE(c == Code::kDamaged || c == Code::kInvalidArgument || c == Code::kUnsupported)
        << what << ": " << r.status().message();
    EXPECT_FALSE(r.status().message().empty()) << what;
    return true;
  }

  // The original bundle still imports whole: the store it left unchanged was able to change.
  void ExpectOriginalImports() {
    WriteFileOrDie(tmp_ / "original.tvb", bundle_);
    auto r = central_->ImportBundle(tmp_ / "original.tvb", *org_);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->new_records, 2u);
  }

  std::string Plaintext() const { return testing::AgeDecrypt(*org_, bundle_); }

  // Import's first pass (Store::ImportBundle) on a plaintext: every check of the bundle, then
  // its signer among `trusted`. This is what rejects an altered bundle before the store is
  // touched.
  static Result<internal::BundleScan> FirstPass(const std::string& plaintext,
                                                const std::vector<TrustedSigner>& trusted) {
    size_t at = 0;
    Result<internal::BundleScan> scan = internal::ScanBundlePlaintext(
        [&](char* buf, size_t n) -> Result<size_t> {
          const size_t take = std::min(n, plaintext.size() - at);
          plaintext.copy(buf, take, at);
          at += take;
          return take;
        },
        nullptr, nullptr, "test");
    if (!scan.ok()) return scan;
    Result<TrustedSigner> signer = internal::VerifyBundleSigner(*scan, trusted);
    if (!signer.ok()) return signer.status();
    return scan;
  }

  std::string Encrypt(const std::string& plaintext) const {
    std::ostringstream out;
    auto writer = internal::AgeWriter::Create(org_->public_key(), &out);
    EXPECT_TRUE(writer.ok());
    EXPECT_TRUE((*writer)->Write(plaintext).ok());
    EXPECT_TRUE((*writer)->Finish().ok());
    return out.str();
  }

  TempDir tmp_;
  std::unique_ptr<OrgSecretKey> org_;
  std::unique_ptr<SignerSecretKey> signer_;
  std::unique_ptr<Store> central_;
  std::string bundle_;
  std::map<std::string, std::string> before_;
  std::map<std::string, std::pair<off_t, int64_t>> before_stat_;
};

TEST_F(BundleBitFlips, EveryBitOfTheFileIsRejectedAndTheStoreIsUnchanged) {
  size_t rejected = 0;
  for (size_t bit = 0; bit < bundle_.size() * 8; ++bit) {
    rejected += ExpectImportRejected(Flip(bundle_, bit), "file bit " + std::to_string(bit));
    ExpectStoreUnchanged(bit);
    if (HasFailure()) return;
  }
  ExpectStoreUnchanged(std::string::npos);
  std::printf("bit flips: bundle file (%zu bytes): %zu of %zu rejected\n", bundle_.size(),
              rejected, bundle_.size() * 8);
  EXPECT_EQ(rejected, bundle_.size() * 8);
  ExpectOriginalImports();
}

TEST_F(BundleBitFlips, EveryBitOfThePlaintextIsRejectedAndTheStoreIsUnchanged) {
  const std::string plain = Plaintext();
  const std::vector<TrustedSigner> trusted = *central_->TrustedSigners();
  Result<internal::BundleScan> original = FirstPass(plain, trusted);
  ASSERT_TRUE(original.ok()) << original.status().message();
  // A flip in a string field of the trailer makes it invalid UTF-8, which protobuf refuses and
  // logs: silenced here, as the rejection itself is what is tested.
  google::protobuf::LogSilencer silence;
  size_t rejected = 0, imported = 0;
  for (size_t bit = 0; bit < plain.size() * 8; ++bit) {
    const std::string bad = Flip(plain, bit);
    const std::string what = "plaintext bit " + std::to_string(bit) + " (byte " +
                             std::to_string(bit / 8) + ")";
    Result<internal::BundleScan> scan = FirstPass(bad, trusted);
    if (scan.ok()) {
      ADD_FAILURE() << what << ": accepted by the scan and signer check";
      return;
    }
    const Code c = scan.status().code();
    EXPECT_TRUE(c == Code::kDamaged || c == Code::kInvalidArgument || c == Code::kUnsupported)
        << what << ": " << scan.status().message();
    EXPECT_FALSE(scan.status().message().empty()) << what;
    ++rejected;
    // Every 16th flip also goes the whole way: encrypted again and imported.
    if (bit % 16 == 0) {
      imported += ExpectImportRejected(Encrypt(bad), what);
      ExpectStoreUnchanged(bit);
    }
    if (HasFailure()) return;
  }
  ExpectStoreUnchanged(std::string::npos);
  std::printf("bit flips: bundle plaintext (%zu bytes): %zu of %zu rejected (%zu of them also "
              "encrypted and imported)\n",
              plain.size(), rejected, plain.size() * 8, imported);
  EXPECT_EQ(rejected, plain.size() * 8);
  ExpectOriginalImports();
}

}  // namespace
}  // namespace tvault
