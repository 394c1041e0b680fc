// Attachments in bundles, through the real binary: they travel with their hashes and custody
// statements, a detach follows alone, limits hold, and a flipped bit or a cut anywhere in an
// attachment rejects the whole bundle and leaves the importing store byte-identical.
#include <sodium.h>

#include "cli/attach_fixture.h"

namespace tvault::testing {
namespace {

constexpr char kTwoPassLines[] = "passphrase\npassphrase\n";

class AttachBundleTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    ASSERT_EQ(Exiftool({"-ver"}).exit_code, 0) << "exiftool is missing (scripts/bootstrap.sh)";
    ASSERT_EQ(RunTvault({"keys", "new-signer", "--out", Path("ana"), "--kdf", "interactive",
                         "--key-passphrase-fd", "3"}, "", kPassLine).exit_code, kOk);
    central_ = Path("central");
    ASSERT_EQ(RunTvault({"init", "--store", central_, "--org-key", World().org_pub, "--kdf",
                         "interactive", "--monitor", "central", "--passphrase-fd", "3"},
                        "", kPassLine).exit_code, kOk);
    ASSERT_EQ(OnCentral({"trust", "add", Path("ana.pub"), "--name", "ana"}).exit_code, kOk);
    id_ = AddOne(SamplePushback("ATTBUNDLE"));
  }

  RunResult OnCentral(std::vector<std::string> args, const std::string& fd3 = kPassLine) const {
    args.insert(args.end(), {"--store", central_, "--passphrase-fd", "3"});
    return RunTvault(args, "", fd3);
  }

  RunResult Export(const std::string& out, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"bundle", "export", "--store", store(), "--passphrase-fd",
                                     "3", "--sign", Path("ana.key"), "--key-passphrase-fd", "3",
                                     "-o", out};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunTvault(args, "", kTwoPassLines);
  }

  RunResult Import(const std::string& file, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"bundle", "import", "--org-secret", World().org_key,
                                     "--key-passphrase-fd", "3", file};
    args.insert(args.end(), extra.begin(), extra.end());
    return OnCentral(args, kTwoPassLines);
  }

  std::vector<google::protobuf::Struct> CentralAttachments() const {
    RunResult r = OnCentral({"attachments", id_, "--json"});
    EXPECT_EQ(r.exit_code, kOk) << Describe(r);
    std::vector<google::protobuf::Struct> rows;
    for (const std::string& line : SplitLines(r.out)) rows.push_back(ParseJsonObject(line));
    return rows;
  }

  std::string RandomFile(const std::string& name, size_t size) const {
    std::string data(size, '\0');
    randombytes_buf(data.data(), data.size());
    return WriteWork(name, data);
  }

  std::string central_, id_;
};

TEST_F(AttachBundleTest, AttachmentsTravelWithTheirHashesAndDetachesFollow) {
  const std::string photo = WriteWork("photo.jpg", TinyJpeg());
  ASSERT_EQ(Exiftool({"-q", "-overwrite_original", "-GPSLatitude=45.5", "-GPSLatitudeRef=N",
                      "-XMP-dc:Creator=QBUNDLEAUTHOR", photo}).exit_code, 0);
  TvOk({"attach", id_, photo, "--caption", "left arm"});
  // 2.5 MiB: three rows of the store, three chunk messages of the bundle.
  const std::string video = RandomFile("clip.bin", 5 * kAttachmentChunkBytes / 2);
  TvOk({"attach", id_, video, "--keep-metadata", "--kind", "audio"});
  RunResult r = Export(Path("one.tvb"));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "2 attachment(s)")) << r.out;
  r = Import(Path("one.tvb"));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "attachments: 2 added, 0 detached")) << r.out;

  // The importing store numbers attachments in its own order (by attachment id within a
  // bundle): they are matched by id.
  std::map<std::string, google::protobuf::Struct> here, there;
  for (const std::string& line : SplitLines(TvOk({"attachments", id_, "--json"}).out)) {
    google::protobuf::Struct row = ParseJsonObject(line);
    here[Field(row, "id")] = row;
  }
  for (const auto& row : CentralAttachments()) there[Field(row, "id")] = row;
  ASSERT_EQ(there.size(), 2u);
  std::string photo_id, photo_n, video_id, video_n;
  for (const auto& [aid, row] : there) {
    ASSERT_TRUE(here.count(aid)) << aid;
    for (const char* f : {"kind", "media_type", "caption", "received_sha256", "stored_sha256",
                          "sealed_sha256", "custody"}) {
      EXPECT_EQ(Field(row, f), Field(here.at(aid), f)) << f;
    }
    if (Field(row, "kind") == "photo") {
      photo_id = aid;
      photo_n = Field(row, "number");
    } else {
      video_id = aid;
      video_n = Field(row, "number");
    }
  }
  // The analyst opens both; the photo still carries neither GPS nor author.
  for (const auto& [n, out] : {std::pair<std::string, std::string>{photo_n, Path("p.jpg")},
                               {video_n, Path("v.bin")}}) {
    RunResult o = RunTvault({"open-attachment", id_, n, "--org-secret", World().org_key, "--out",
                             out, "--store", central_, "--passphrase-fd", "3",
                             "--org-passphrase-fd", "3"}, "", kTwoPassLines);
    ASSERT_EQ(o.exit_code, kOk) << Describe(o);
  }
  EXPECT_EQ(ReadFileOrDie(Path("v.bin")), ReadFileOrDie(video));
  const std::string meta = Exiftool({"-a", "-G1", Path("p.jpg")}).out;
  EXPECT_FALSE(Contains(meta, "GPS") || Contains(meta, "QBUNDLEAUTHOR")) << meta;
  // The custody statement's hash is in the analyst's log too.
  const std::string log = OnCentral({"log", "show", "--json"}).out;
  EXPECT_TRUE(Contains(log, Sha256Hex(Field(there.at(photo_id), "custody")))) << log;

  // A detach travels alone: no file is sent again.
  TvOk({"detach", id_, "2", "--reason", "wrong testimony"});
  r = Export(Path("two.tvb"));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "1 attachment(s) (0 bytes sealed)")) << r.out;
  r = Import(Path("two.tvb"));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "attachments: 0 added, 1 detached")) << r.out;
  for (const auto& row : CentralAttachments()) {
    EXPECT_EQ(Field(row, "detached"), Field(row, "id") == video_id ? "true" : "false");
    if (Field(row, "id") == video_id) EXPECT_EQ(Field(row, "detach_reason"), "wrong testimony");
  }
  // Importing the first bundle again changes nothing.
  r = Import(Path("one.tvb"));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "attachments: 0 added, 0 detached")) << r.out;
  EXPECT_EQ(OnCentral({"log", "verify"}).exit_code, kOk);
}

TEST_F(AttachBundleTest, AFlippedBitOrACutInAnAttachmentRejectsTheBundleWhole) {
  // Attachment bytes make up nearly all of the bundle: a flip in its middle hits them.
  TvOk({"attach", id_, RandomFile("clip.bin", 600 * 1024), "--keep-metadata"});
  ASSERT_EQ(Export(Path("good.tvb")).exit_code, kOk);
  const std::string good = ReadFileOrDie(Path("good.tvb"));
  const std::map<std::string, std::string> before = ReadTree(central_);
  for (size_t at : {good.size() / 2, good.size() / 3, good.size() - 2000}) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    const std::string path = WriteWork("bad" + std::to_string(at) + ".tvb", bad);
    RunResult r = Import(path);
    EXPECT_EQ(r.exit_code, kDamaged) << Describe(r);
    EXPECT_TRUE(Contains(r.out, "rejected")) << r.out;
    EXPECT_TRUE(ReadTree(central_) == before) << "a rejected bundle changed the store";
  }
  RunResult cut = Import(WriteWork("cut.tvb", good.substr(0, good.size() / 2)));
  EXPECT_EQ(cut.exit_code, kDamaged) << Describe(cut);
  EXPECT_TRUE(ReadTree(central_) == before);
  ASSERT_EQ(Import(Path("good.tvb")).exit_code, kOk);
  EXPECT_EQ(CentralAttachments().size(), 1u);
}

TEST_F(AttachBundleTest, LimitsHoldOnBothSides) {
  TvOk({"attach", id_, RandomFile("a.bin", 300 * 1024), "--keep-metadata"});
  TvOk({"attach", id_, RandomFile("b.bin", 300 * 1024), "--keep-metadata"});
  // The exporter keeps what does not fit for the next bundle.
  RunResult r = Export(Path("small.tvb"), {"--max-attachment-bytes", "400000"});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "1 attachment(s)")) << r.out;
  EXPECT_TRUE(Contains(r.out, "1 attachment(s) did not fit")) << r.out;
  r = Export(Path("rest.tvb"));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "1 attachment(s)")) << r.out;
  // The importer refuses a bundle beyond its limits, whole.
  const std::map<std::string, std::string> before = ReadTree(central_);
  r = Import(Path("small.tvb"), {"--max-attachment-size", "1000"});
  EXPECT_EQ(r.exit_code, kDamaged) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "limit")) << r.out;
  r = Import(Path("small.tvb"), {"--max-attachments-total", "1000"});
  EXPECT_EQ(r.exit_code, kDamaged) << Describe(r);
  EXPECT_TRUE(ReadTree(central_) == before);
  ASSERT_EQ(Import(Path("small.tvb")).exit_code, kOk);
  ASSERT_EQ(Import(Path("rest.tvb")).exit_code, kOk);
  EXPECT_EQ(CentralAttachments().size(), 2u);
}

// The canary, carried on: the bundle holds no marker of the picture's comment or name.
TEST_F(AttachBundleTest, CanaryLeavesNoPlaintextInTheBundle) {
  const std::string marker = "QBUNDLECANARY0c4e", name_marker = "QBUNDLENAME99ab";
  const std::string photo = WriteWork(name_marker + ".jpg", TinyJpeg());
  ASSERT_EQ(Exiftool({"-q", "-overwrite_original", "-Comment=" + marker, photo}).exit_code, 0);
  TvOk({"attach", id_, photo, "--keep-metadata"});
  TvOk({"attach", id_, photo});
  ASSERT_EQ(Export(Path("c.tvb")).exit_code, kOk);
  const std::string bundle = ReadFileOrDie(Path("c.tvb"));
  EXPECT_EQ(FindMarker(bundle, marker), "");
  EXPECT_EQ(FindMarker(bundle, name_marker), "");
}

}  // namespace
}  // namespace tvault::testing
