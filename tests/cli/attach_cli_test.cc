// Attachments through the real binary: metadata stripped (checked with exiftool, an
// independent reader), write-only on the device, opened only with the organisation secret and
// logged first, readable by the stock `age -d`, chain of custody in the audit log, tombstones.
#include <sys/stat.h>

#include "cli/attach_fixture.h"

namespace tvault::testing {
namespace {

class AttachCliTest : public CliFixture {
 protected:
  void SetUp() override {
    CliFixture::SetUp();
    ASSERT_EQ(Exiftool({"-ver"}).exit_code, 0)
        << "exiftool is missing: scripts/bootstrap.sh installs libimage-exiftool-perl";
    id_ = AddOne(SamplePushback("ATTACHCLI"));
  }

  // A JPEG with GPS EXIF, an XMP author, an IPTC by-line, a camera make and a comment.
  std::string MarkedJpeg(const std::string& name, const std::string& marker) {
    const std::string path = WriteWork(name, TinyJpeg());
    RunResult r = Exiftool({"-q", "-overwrite_original", "-GPSLatitude=45.1234",
                            "-GPSLatitudeRef=N", "-GPSLongitude=15.4321", "-GPSLongitudeRef=E",
                            "-XMP-dc:Creator=" + marker + "author", "-IPTC:By-line=" + marker,
                            "-Make=" + marker + "make", "-Comment=" + marker + " comment", path});
    EXPECT_EQ(r.exit_code, 0) << Describe(r);
    return path;
  }

  RunResult Open(const std::string& n, const std::string& out,
                 const std::string& org_key = World().org_key) const {
    return RunTvault({"open-attachment", id_, n, "--org-secret", org_key, "--out", out,
                      "--store", store(), "--passphrase-fd", "3", "--org-passphrase-fd", "3"},
                     "", std::string(kPassLine) + kPassLine);
  }

  std::vector<google::protobuf::Struct> Attachments() const {
    std::vector<google::protobuf::Struct> rows;
    for (const std::string& line : SplitLines(TvOk({"attachments", id_, "--json"}).out)) {
      rows.push_back(ParseJsonObject(line));
    }
    return rows;
  }

  std::vector<google::protobuf::Struct> Log() const {
    std::vector<google::protobuf::Struct> rows;
    for (const std::string& line : SplitLines(TvOk({"log", "show", "--json"}).out)) {
      rows.push_back(ParseJsonObject(line));
    }
    return rows;
  }

  std::string id_;
};

TEST_F(AttachCliTest, JpegLosesGpsXmpIptcAndCommentAndOnlyTheOrgOpensIt) {
  const std::string photo = MarkedJpeg("photo.jpg", "QJPEGMARK");
  const std::string before = Exiftool({"-a", "-G1", photo}).out;
  ASSERT_TRUE(Contains(before, "GPS Latitude")) << before;
  ASSERT_TRUE(Contains(before, "QJPEGMARKauthor")) << before;

  RunResult r = TvOk({"attach", id_, photo, "--caption", "bruises on the left arm"});
  EXPECT_TRUE(Contains(r.out, "attachment 1 of record " + id_)) << r.out;
  EXPECT_TRUE(Contains(r.out, "metadata stripped")) << r.out;

  // The device cannot read it back: no command without the org secret prints its bytes.
  const std::string opened = Path("opened.jpg");
  RunResult o = Open("1", opened);
  ASSERT_EQ(o.exit_code, kOk) << Describe(o);
  const std::string after = Exiftool({"-a", "-G1", opened}).out;
  EXPECT_TRUE(Contains(after, "Image Size") && Contains(after, "8x8")) << after;
  for (const char* gone : {"GPS", "QJPEGMARK", "Creator", "By-line", "Make", "Comment", "XMP",
                           "IPTC"}) {
    EXPECT_FALSE(Contains(after, gone)) << gone << " survived:\n" << after;
  }
  EXPECT_EQ(FindMarker(ReadFileOrDie(opened), "QJPEGMARK"), "");

  // Chain of custody: the hashes of the file as received and as stored, and the log entry
  // that hashes the custody statement.
  std::vector<google::protobuf::Struct> rows = Attachments();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Field(rows[0], "received_sha256"), Sha256Hex(ReadFileOrDie(photo)));
  EXPECT_EQ(Field(rows[0], "stored_sha256"), Sha256Hex(ReadFileOrDie(opened)));
  EXPECT_EQ(Field(rows[0], "media_type"), "image/jpeg");
  EXPECT_EQ(Field(rows[0], "kind"), "photo");
  EXPECT_EQ(Field(rows[0], "caption"), "bruises on the left arm");
  const std::string custody = Field(rows[0], "custody");
  EXPECT_TRUE(Contains(custody, "received " + Field(rows[0], "received_size") + " " +
                                    Sha256Hex(ReadFileOrDie(photo))));
  bool attach_logged = false, open_logged = false;
  for (const auto& e : Log()) {
    if (Field(e, "action") == "attach" && Field(e, "record_id") == id_) {
      attach_logged = Field(e, "content_hash") == Sha256Hex(custody);
      EXPECT_EQ(Field(e, "record_version"), "1");
    }
    if (Field(e, "action") == "open-attachment") open_logged = true;
  }
  EXPECT_TRUE(attach_logged);
  EXPECT_TRUE(open_logged);

  // The stock age tool opens the exported attachment with the organisation identity.
  const std::string sealed = Path("sealed.age");
  TvOk({"export-attachment", id_, "1", "--out", sealed});
  const std::string identity = Path("identity.txt");
  ASSERT_EQ(RunTvault({"keys", "age-identity", "--org-secret", World().org_key, "--out",
                       identity, "--key-passphrase-fd", "3"}, "", kPassLine).exit_code, 0);
  RunResult age = RunProgram({"/usr/bin/age", "-d", "-i", identity, sealed});
  ASSERT_EQ(age.exit_code, 0) << Describe(age);
  EXPECT_EQ(age.out, ReadFileOrDie(opened));
  EXPECT_EQ(Tv({"log", "verify"}).exit_code, kOk);
}

TEST_F(AttachCliTest, PdfLosesItsAuthorAndXmp) {
  const std::string pdf = WriteWork("report.pdf", TinyPdf("QPDFAUTHOR", "QPDFXMPAUTHOR"));
  const std::string before = Exiftool({"-a", "-G1", pdf}).out;
  ASSERT_TRUE(Contains(before, "QPDFAUTHOR")) << before;
  ASSERT_TRUE(Contains(before, "QPDFXMPAUTHOR")) << before;
  TvOk({"attach", id_, pdf, "--kind", "medical"});
  const std::string opened = Path("opened.pdf");
  ASSERT_EQ(Open("1", opened).exit_code, kOk);
  const std::string after = Exiftool({"-a", "-G1", opened}).out;
  EXPECT_TRUE(Contains(after, "PDF Version")) << after;
  EXPECT_FALSE(Contains(after, "QPDF")) << after;
  EXPECT_FALSE(Contains(after, "Author")) << after;
  EXPECT_EQ(FindMarker(ReadFileOrDie(opened), "QPDFAUTHOR"), "");
  EXPECT_EQ(Field(Attachments()[0], "kind"), "medical");
}

TEST_F(AttachCliTest, PngTextChunksGo) {
  const std::string png = WriteWork("scan.png", TinyPng());
  ASSERT_EQ(Exiftool({"-q", "-overwrite_original", "-PNG:Author=QPNGAUTHOR",
                      "-XMP-dc:Creator=QPNGXMP", "-GPSLatitude=45.1", "-GPSLatitudeRef=N", png})
                .exit_code, 0);
  TvOk({"attach", id_, png});
  const std::string opened = Path("opened.png");
  ASSERT_EQ(Open("1", opened).exit_code, kOk);
  const std::string after = Exiftool({"-a", "-G1", opened}).out;
  EXPECT_TRUE(Contains(after, "8x8")) << after;
  for (const char* gone : {"QPNG", "GPS", "Author", "XMP"}) {
    EXPECT_FALSE(Contains(after, gone)) << gone << " survived:\n" << after;
  }
}

TEST_F(AttachCliTest, UnstrippableTypesNeedKeepMetadataAndAreWarnedAbout) {
  // An MP3 frame header: audio, whose metadata tvault cannot strip.
  const std::string audio = WriteWork("voice.mp3", std::string("ID3\x03\x00\x00\x00\x00\x00\x00", 10) +
                                                       "QAUDIOTAG interview audio");
  const std::string unknown = WriteWork("notes.bin", "just some bytes QUNKNOWN");
  for (const std::string& f : {audio, unknown}) {
    RunResult r = Tv({"attach", id_, f});
    EXPECT_EQ(r.exit_code, 9) << Describe(r);
    EXPECT_TRUE(Contains(r.err, "--keep-metadata")) << r.err;
  }
  EXPECT_TRUE(Attachments().empty());
  RunResult r = TvOk({"attach", id_, audio, "--keep-metadata"});
  EXPECT_TRUE(Contains(r.err, "warning: metadata kept")) << r.err;
  EXPECT_TRUE(Contains(r.err, "GPS position")) << r.err;
  EXPECT_TRUE(Contains(r.out, "metadata KEPT")) << r.out;
  std::vector<google::protobuf::Struct> rows = Attachments();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(Field(rows[0], "media_type"), "audio/mpeg");
  EXPECT_EQ(Field(rows[0], "kind"), "audio");
  EXPECT_EQ(Field(rows[0], "stripped"), "false");
  EXPECT_EQ(Field(rows[0], "received_sha256"), Field(rows[0], "stored_sha256"));
  const std::string opened = Path("voice.out");
  ASSERT_EQ(Open("1", opened).exit_code, kOk);
  EXPECT_EQ(ReadFileOrDie(opened), ReadFileOrDie(audio));
}

TEST_F(AttachCliTest, RefusalsWriteNothingAndOpeningNeedsThisOrgSecret) {
  const std::string photo = WriteWork("p.jpg", TinyJpeg());
  const size_t log_before = Log().size();
  EXPECT_EQ(Tv({"attach", id_, photo, "--kind", "selfie"}).exit_code, kInvalidInput);
  EXPECT_EQ(Tv({"attach", id_, Path("missing.jpg")}).exit_code, kNotFound);
  EXPECT_EQ(Tv({"attach", id_, photo, "--max-size", "100"}).exit_code, kInvalidInput);
  EXPECT_EQ(Tv({"attach", id_, WriteWork("bad.jpg", "\xFF\xD8\xFF\xE0garbage")}).exit_code,
            kInvalidInput);
  EXPECT_EQ(Log().size(), log_before);
  TvOk({"attach", id_, photo});

  const std::string other = Path("other");
  ASSERT_EQ(RunTvault({"keys", "new-org", "--out", other, "--kdf", "interactive",
                       "--key-passphrase-fd", "3"}, "", kPassLine).exit_code, 0);
  const size_t log_mid = Log().size();
  RunResult wrong = Open("1", Path("x.jpg"), other + ".key");
  EXPECT_EQ(wrong.exit_code, kInvalidInput) << Describe(wrong);
  EXPECT_EQ(Open("2", Path("y.jpg")).exit_code, kNotFound);
  EXPECT_EQ(Log().size(), log_mid);
  struct stat st;
  EXPECT_NE(::stat(Path("x.jpg").c_str(), &st), 0);
  // An existing output file is never overwritten.
  WriteWork("exists.jpg", "keep me");
  EXPECT_EQ(Open("1", Path("exists.jpg")).exit_code, kExists);
  EXPECT_EQ(ReadFileOrDie(Path("exists.jpg")), "keep me");
}

TEST_F(AttachCliTest, DetachIsATombstone) {
  TvOk({"attach", id_, WriteWork("a.jpg", TinyJpeg())});
  TvOk({"attach", id_, WriteWork("b.png", TinyPng())});
  RunResult r = TvOk({"detach", id_, "1", "--reason", "wrong testimony"});
  EXPECT_TRUE(Contains(r.out, "detached attachment 1")) << r.out;
  EXPECT_EQ(Tv({"detach", id_, "1", "--reason", "again"}).exit_code, kInvalidInput);
  EXPECT_EQ(Tv({"detach", id_, "7", "--reason", "none"}).exit_code, kNotFound);
  std::vector<google::protobuf::Struct> rows = Attachments();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(Field(rows[0], "detached"), "true");
  EXPECT_EQ(Field(rows[0], "detach_reason"), "wrong testimony");
  EXPECT_EQ(Field(rows[1], "detached"), "false");
  EXPECT_EQ(Field(rows[1], "number"), "2");
  EXPECT_EQ(Log().back().fields().at("action").string_value(), "detach");
  EXPECT_TRUE(Contains(TvOk({"attachments", id_}).out, "DETACHED (wrong testimony)"));
  EXPECT_EQ(Tv({"log", "verify"}).exit_code, kOk);
}

// Captions are searched like narratives (folded: accents, case); a detach removes its caption
// from the index.
TEST_F(AttachCliTest, CaptionsAreSearchable) {
  const std::string other = AddOne(SamplePushback("ATTACHOTHER"), "other.json");
  TvOk({"attach", id_, WriteWork("a.jpg", TinyJpeg()), "--caption",
        "Ḥaydarī showed the swelling under his kneecap"});
  TvOk({"attach", other, WriteWork("b.png", TinyPng()), "--caption-file",
        WriteWork("caption.txt", "torn jacket\n")});
  auto hits = [&](const std::string& q) {
    std::vector<std::string> ids;
    for (const std::string& line : SplitLines(TvOk({"search", q, "--json"}).out)) {
      ids.push_back(Field(ParseJsonObject(line), "id"));
    }
    return ids;
  };
  EXPECT_EQ(hits("haydari kneecap"), std::vector<std::string>{id_});
  EXPECT_EQ(hits("KNEECAP"), std::vector<std::string>{id_});
  EXPECT_EQ(hits("torn jacket"), std::vector<std::string>{other});
  TvOk({"detach", id_, "1", "--reason", "wrong person"});
  EXPECT_TRUE(hits("kneecap").empty());
  // An edit of the record keeps the captions of its attachments in the index.
  tvault::v1::Testimony t = ShowJson(other);
  t.set_narrative(t.narrative() + " Edited.");
  TvOk({"edit", other, "--from", WriteWork("edit.json", ToJson(t))});
  EXPECT_EQ(hits("jacket"), std::vector<std::string>{other});
}

// The canary: a marker in the picture's comment, in its EXIF and in its file name, and the
// caption's own marker, leave no plaintext in the store's files, the WAL or TMPDIR.
TEST_F(AttachCliTest, CanaryLeavesNoPlaintextInStoreWalOrTmpdir) {
  const std::string tmp = Path("tmp");
  ASSERT_EQ(::mkdir(tmp.c_str(), 0700), 0);
  const std::string marker = "QCANARYPIXELS7f3a9e";
  const std::string name_marker = "QCANARYNAME51c0d2";
  const std::string photo = MarkedJpeg(name_marker + ".jpg", marker);
  RunResult r = Tv({"attach", id_, photo}, "", {"TMPDIR=" + tmp});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  r = Tv({"attach", id_, photo, "--keep-metadata"}, "", {"TMPDIR=" + tmp});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  std::map<std::string, std::string> files = ReadTree(store());
  ASSERT_TRUE(files.count(store() + "/store.db"));
  for (auto& [path, bytes] : ReadTree(tmp)) files[path] = bytes;
  for (const auto& [path, bytes] : files) {
    for (const std::string& m : {marker, name_marker}) {
      EXPECT_EQ(FindMarker(bytes, m), "") << m << " found in " << path;
    }
  }
  EXPECT_TRUE(ReadTree(tmp).empty()) << "attach left files in TMPDIR";
  EXPECT_FALSE(Contains(TvOk({"attachments", id_, "--json"}).out, name_marker));
}

}  // namespace
}  // namespace tvault::testing
