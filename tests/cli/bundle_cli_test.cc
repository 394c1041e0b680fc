// tvault bundle export | import, trust, conflicts and resolve, through the real binary; and
// interoperability with the stock `age` and `minisign` tools.
#include "cli/bundle_fixture.h"

namespace tvault::testing {
namespace {

TEST_F(BundleCliTest, RoundTripBetweenTwoStores) {
  std::string a = AddOne(SamplePushback("mk-a"), "a.json");
  std::string b = AddOne(SamplePushback("mk-b"), "b.json");
  TvOk({"delete", b, "--reason", "entered twice"});
  RunResult r = Export(Path("one.tvb"));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "3 record version(s)")) << r.out;
  Trust();
  r = Import({Path("one.tvb")});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "one.tvb: new 2, updated 0, unchanged 0, conflicting 0 (signed by ana"))
      << r.out;
  EXPECT_TRUE(Contains(r.out, "derived")) << r.out;
  EXPECT_EQ(CentralList(), LocalList());
  // The same testimony, sealed identity and all, byte for byte.
  RunResult there = OnCentral({"show", a, "--json"});
  EXPECT_EQ(there.out, TvOk({"show", a, "--json"}).out);

  // Incremental: an edit travels alone; the second import of the first bundle is unchanged.
  tvault::v1::Testimony t = ShowJson(a);
  t.set_narrative(t.narrative() + " Added later.");
  TvOk({"edit", a, "--from", WriteWork("edit.json", ToJson(t))});
  r = Export(Path("two.tvb"));
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "1 record version(s)")) << r.out;
  r = Import({Path("two.tvb"), Path("one.tvb")});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "two.tvb: new 0, updated 1,")) << r.out;
  EXPECT_TRUE(Contains(r.out, "one.tvb: new 0, updated 0, unchanged 2,")) << r.out;
  EXPECT_EQ(CentralList(), LocalList());
  EXPECT_TRUE(Contains(OnCentral({"log", "show"}).out, "import"));
  EXPECT_TRUE(Contains(OnCentral({"log", "show"}).out, "trust-add"));
  // No progress line when stderr is not a terminal.
  EXPECT_FALSE(Contains(r.err, "\r")) << r.err;
}

TEST_F(BundleCliTest, ManyFilesOneRejectedIsReportedAndTheOthersImported) {
  AddOne(SamplePushback("mk-a"), "a.json");
  ASSERT_EQ(Export(Path("good.tvb")).exit_code, kOk);
  AddOne(SamplePushback("mk-b"), "b.json");
  ASSERT_EQ(Export(Path("later.tvb")).exit_code, kOk);
  std::string bytes = ReadFileOrDie(Path("later.tvb"));
  WriteFileOrDie(Path("cut.tvb"), bytes.substr(0, bytes.size() - 10));
  Trust();
  auto before = ReadTree(central_);
  RunResult r = Import({Path("cut.tvb")});
  EXPECT_EQ(r.exit_code, kDamaged) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "cut.tvb: rejected: ")) << r.out;
  EXPECT_TRUE(Contains(r.out, "truncated")) << r.out;
  EXPECT_TRUE(ReadTree(central_) == before) << "a rejected bundle changed the store";

  // A missing file is refused before any passphrase, and nothing is imported.
  r = Import({Path("good.tvb"), Path("missing.tvb")});
  EXPECT_EQ(r.exit_code, kNotFound) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "missing.tvb")) << r.err;
  EXPECT_TRUE(ReadTree(central_) == before);

  r = Import({Path("good.tvb"), Path("cut.tvb")});
  EXPECT_EQ(r.exit_code, kDamaged) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "good.tvb: new 1,")) << r.out;
  EXPECT_TRUE(Contains(r.out, "cut.tvb: rejected:")) << r.out;
  EXPECT_TRUE(Contains(r.err, "1 of 2 bundle(s) rejected")) << r.err;
  EXPECT_EQ(CentralList().size(), 1u);
}

TEST_F(BundleCliTest, UntrustedAndRemovedSignersAreRejected) {
  AddOne(SamplePushback("mk-a"), "a.json");
  ASSERT_EQ(Export(Path("b.tvb")).exit_code, kOk);
  auto before = ReadTree(central_);
  RunResult r = Import({Path("b.tvb")});
  EXPECT_EQ(r.exit_code, kInvalidInput) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "does not trust")) << r.out;
  EXPECT_TRUE(ReadTree(central_) == before);
  Trust();
  EXPECT_TRUE(Contains(OnCentral({"trust", "list"}).out, "ana\t"));
  EXPECT_EQ(OnCentral({"trust", "add", Path("ana.pub"), "--name", "again"}).exit_code, kExists);
  ASSERT_EQ(OnCentral({"trust", "remove", "ana"}).exit_code, kOk);
  EXPECT_EQ(Import({Path("b.tvb")}).exit_code, kInvalidInput);
  EXPECT_TRUE(Contains(OnCentral({"log", "show"}).out, "trust-remove"));
}

// A trust entry is bound to the monitor's store: at `trust add --log-key` (the output of
// `tvault log key` on the monitor's device), or by the first imported bundle, which says so.
TEST_F(BundleCliTest, TrustIsBoundToTheMonitorsStore) {
  AddOne(SamplePushback("mk-a"), "a.json");
  ASSERT_EQ(Export(Path("b.tvb")).exit_code, kOk);
  std::string key = TvOk({"log", "key"}).out;
  while (!key.empty() && key.back() == '\n') key.pop_back();
  const std::string store_id = key.substr(13, 32);
  // A malformed key is refused; the monitor's own binds the entry at once.
  EXPECT_EQ(OnCentral({"trust", "add", Path("ana.pub"), "--name", "ana", "--log-key", "x+y+z"})
                .exit_code,
            kInvalidInput);
  RunResult r = OnCentral({"trust", "add", Path("ana.pub"), "--name", "ana", "--log-key", key});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "bound to store " + store_id)) << r.out;
  EXPECT_TRUE(Contains(OnCentral({"trust", "list"}).out, "\t" + store_id + "\n"));
  r = Import({Path("b.tvb")});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_FALSE(Contains(r.out, "now bound")) << r.out;
  EXPECT_TRUE(Contains(OnCentral({"log", "show"}).out, "trust-bind"));

  // Without --log-key: unbound until the first import, which prints the binding.
  ASSERT_EQ(OnCentral({"trust", "remove", "ana"}).exit_code, kOk);
  ASSERT_EQ(OnCentral({"trust", "add", Path("ana.pub"), "--name", "ana"}).exit_code, kOk);
  EXPECT_TRUE(Contains(OnCentral({"trust", "list"}).out, "(not bound yet)"));
  AddOne(SamplePushback("mk-b"), "b.json");
  ASSERT_EQ(Export(Path("c.tvb")).exit_code, kOk);
  r = Import({Path("c.tvb")});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "ana is now bound to store " + store_id + " (audit-log key " + key))
      << r.out;
  EXPECT_TRUE(Contains(OnCentral({"trust", "list"}).out, "\t" + store_id + "\n"));
}

TEST_F(BundleCliTest, ConflictsAreListedAndResolved) {
  std::string id = AddOne(SamplePushback("mk-a"), "a.json");
  ASSERT_EQ(Export(Path("base.tvb")).exit_code, kOk);
  Trust();
  ASSERT_EQ(Import({Path("base.tvb")}).exit_code, kOk);
  // The coordinator and the monitor both edit the record.
  tvault::v1::Testimony t = ShowJson(id);
  t.set_narrative(t.narrative() + " Central note.");
  ASSERT_EQ(OnCentral({"edit", id, "--from", WriteWork("c.json", ToJson(t))}).exit_code, kOk);
  t = ShowJson(id);
  t.set_narrative(t.narrative() + " Monitor note.");
  TvOk({"edit", id, "--from", WriteWork("m.json", ToJson(t))});
  ASSERT_EQ(Export(Path("edit.tvb")).exit_code, kOk);
  RunResult r = Import({Path("edit.tvb")});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "conflicting 1")) << r.out;

  r = OnCentral({"conflicts"});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, id + ": agreed up to version 1")) << r.out;
  std::vector<std::string> tokens;
  for (const std::string& line : SplitLines(r.out)) {
    if (line.rfind("  2:", 0) == 0) tokens.push_back(line.substr(2, line.find(' ', 2) - 2));
  }
  ASSERT_EQ(tokens.size(), 2u) << r.out;
  EXPECT_EQ(OnCentral({"edit", id, "--from", Path("c.json")}).exit_code, kInvalidInput);
  EXPECT_EQ(OnCentral({"resolve", id, "--keep", "2"}).exit_code, kInvalidInput);  // ambiguous

  // Keep one of them (the core tests choose by content): the record then shows exactly it.
  r = OnCentral({"resolve", id, "--keep", tokens[0]});
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "latest version is now 2")) << r.out;
  const std::string shown = OnCentral({"show", id, "--json"}).out;
  EXPECT_NE(Contains(shown, "Central note."), Contains(shown, "Monitor note.")) << shown;
  EXPECT_EQ(OnCentral({"resolve", id, "--keep", tokens[1]}).exit_code, kNotFound);
  // Importing the set-aside branch again changes nothing and reopens nothing.
  r = Import({Path("edit.tvb")});
  EXPECT_TRUE(Contains(r.out, "conflicting 0")) << r.out;
  EXPECT_TRUE(Contains(OnCentral({"conflicts"}).out, "no conflicts"));
  EXPECT_TRUE(Contains(OnCentral({"log", "show"}).out, "resolve"));
}

TEST_F(BundleCliTest, ProgressIsDrawnOnATerminal) {
  if (!Have("script")) GTEST_SKIP() << "script (util-linux) is not installed";
  AddOne(SamplePushback("mk-a"), "a.json");
  ASSERT_EQ(Export(Path("b.tvb")).exit_code, kOk);
  Trust();
  WriteFileOrDie(Path("pass2"), kTwoPassLines);
  // `script` gives the command a pseudo-terminal; stdout goes to a file, so what reaches the
  // terminal is standard error alone.
  const std::string cmd = std::string(TVAULT_BINARY) + " bundle import --store " + central_ +
                          " --passphrase-fd 3 --key-passphrase-fd 3 --org-secret " +
                          World().org_key + " " + Path("b.tvb") + " 3<" + Path("pass2") + " >" +
                          Path("out");
  ASSERT_EQ(std::system(("script -qec '" + cmd + "' /dev/null > " + Path("tty")).c_str()), 0);
  const std::string tty = ReadFileOrDie(Path("tty"));
  EXPECT_TRUE(Contains(tty, "b.tvb: verify 1/1")) << tty;
  EXPECT_TRUE(Contains(tty, "b.tvb: import 1/1")) << tty;
  EXPECT_TRUE(Contains(ReadFileOrDie(Path("out")), "b.tvb: new 1,"));
}

TEST_F(BundleCliTest, StockAgeDecryptsAndStockMinisignVerifies) {
  if (!Have("age") || !Have("minisign")) GTEST_SKIP() << "age or minisign is not installed";
  AddOne(SamplePushback("mk-stock"), "a.json");
  ASSERT_EQ(Export(Path("b.tvb")).exit_code, kOk);
  RunResult r = RunTvault({"keys", "age-identity", "--org-secret", World().org_key, "--out",
                           Path("identity.txt"), "--key-passphrase-fd", "3"},
                          "", kPassLine);
  ASSERT_EQ(r.exit_code, kOk) << Describe(r);
  // Exactly the recipe of docs/formats.md ("Checking a bundle with stock tools").
  const std::string script =
      "set -e; cd " + work().path() +
      "; age -d -i identity.txt -o b.plain b.tvb"
      "; read magic plen slen < <(tail -c 32 b.plain); test \"$magic\" = TVSIG"
      "; head -c $((10#$plen)) b.plain > b.payload"
      "; tail -c $((10#$slen + 32)) b.plain | head -c $((10#$slen)) > b.payload.minisig"
      "; minisign -V -p ana.pub -m b.payload > minisign.out";
  ASSERT_EQ(std::system(("bash -c '" + script + "'").c_str()), 0) << script;
  EXPECT_TRUE(Contains(ReadFileOrDie(Path("minisign.out")), "tvault bundle v4"));
  // And minisign notices a changed payload.
  std::string payload = ReadFileOrDie(Path("b.payload"));
  payload[payload.size() / 2] ^= 1;
  WriteFileOrDie(Path("b.payload"), payload);
  EXPECT_NE(std::system(("cd " + work().path() +
                         " && minisign -V -p ana.pub -m b.payload >/dev/null 2>&1")
                            .c_str()),
            0);
}

TEST_F(BundleCliTest, TheBundleFileCarriesNoMarkerInAnyEncoding) {
  const std::string marker = "Zqx7Marker";
  AddOne(SamplePushback(marker), "a.json");
  AddOne(SampleFacility("HR-DET-01", marker + "F"), "b.json");
  ASSERT_EQ(Export(Path("b.tvb")).exit_code, kOk);
  const std::string bundle = ReadFileOrDie(Path("b.tvb"));
  for (const std::string& m : {marker, marker + "-name", marker + "-phone", marker + "F",
                               std::string("kestrel-07")}) {
    EXPECT_EQ(FindMarker(bundle, m), "") << m << " found in the bundle file";
  }
  // Control: decrypted, the payload does carry the narrative (so the scan above could fail),
  // but never the identity, which stays sealed.
  if (!Have("age")) return;
  RunResult r = RunTvault({"keys", "age-identity", "--org-secret", World().org_key, "--out",
                           Path("identity.txt"), "--key-passphrase-fd", "3"},
                          "", kPassLine);
  ASSERT_EQ(r.exit_code, kOk);
  ASSERT_EQ(std::system(("age -d -i " + Path("identity.txt") + " -o " + Path("plain") + " " +
                         Path("b.tvb"))
                            .c_str()),
            0);
  const std::string plain = ReadFileOrDie(Path("plain"));
  EXPECT_NE(FindMarker(plain, marker + "-narrative"), "");
  EXPECT_EQ(FindMarker(plain, marker + "-name"), "");
  EXPECT_EQ(FindMarker(plain, marker + "-phone"), "");
}

}  // namespace
}  // namespace tvault::testing
