// Writes the seed corpora that need the fixed fuzz keys (fuzz_common.h) into
// tests/fuzz/corpus/<target>/. Run by hand when a format changes (`make_seeds DIR`); the output
// is committed. The JSON seeds are plain files kept beside them and not written here.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <sodium.h>
#include <stdlib.h>

#include "crypto/age.h"
#include "crypto/envelope.h"
#include "fuzz_common.h"
#include "store/checkpoint.h"
#include "store/merkle.h"
#include "tvault/audit.h"
#include "tvault/demo.h"
#include "tvault/report.h"
#include "tvault/store.h"

namespace {

using namespace tvault;

std::string g_root;

void Write(const std::string& target, const std::string& name, const std::string& bytes) {
  const std::string dir = g_root + "/" + target;
  std::filesystem::create_directories(dir);
  std::ofstream out(dir + "/" + name, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out.good()) {
    std::fprintf(stderr, "cannot write %s/%s\n", dir.c_str(), name.c_str());
    std::exit(1);
  }
}

template <typename T>
T OrDie(Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().message().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

void KeyEnvelopes() {
  const KdfParams cheapest{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
  SecretBytes payload = fuzz::FilledSecret(0x5a, internal::kEnvelopePayloadSize);
  SecretBytes pass = fuzz::FuzzPassphrase();
  Write("key_envelope", "store.key",
        OrDie(internal::SealEnvelope(internal::kStoreKeyMagic, payload, pass, cheapest)));
  Write("key_envelope", "org.key",
        OrDie(internal::SealEnvelope(internal::kOrgKeyMagic, payload, pass, cheapest)));
  std::string signer =
      OrDie(internal::SealEnvelope(internal::kSignerKeyMagic, payload, pass, cheapest));
  Write("key_envelope", "signer.key", signer);
  signer[8] = 2;  // A newer format version.
  Write("key_envelope", "version2.key", signer);
}

void PublicKeys() {
  const OrgSecretKey org = fuzz::FuzzOrgKey();
  Write("public_keys", "org.pub",
        "# tvault organisation public key\n# fingerprint: " + org.public_key().Fingerprint() +
            "\n" + org.public_key().ToAgeRecipient() + "\n");
  Write("public_keys", "org-crlf.pub", org.public_key().ToAgeRecipient() + "\r\n");
  const SignerSecretKey signer = fuzz::FuzzSignerKey();
  const std::string pub = signer.public_key().ToMinisignText("minisign public key");
  Write("public_keys", "signer.pub", pub);
  Write("public_keys", "signer-line.pub", pub.substr(pub.find('\n') + 1));
}

void Minisig() {
  const SignerSecretKey signer = fuzz::FuzzSignerKey();
  Write("minisig", "message.minisig",
        OrDie(signer.Sign(fuzz::kSignedMessage, "timestamp:1764000000\tfile:message")));
  Write("minisig", "empty-comment.minisig", OrDie(signer.Sign(fuzz::kSignedMessage, "")));
}

void Checkpoints() {
  SecretBytes seed = fuzz::FuzzCheckpointSeed();
  std::vector<std::string> leaves;
  for (int i = 0; i < 7; ++i) leaves.push_back(internal::MerkleLeafHash("entry " + std::to_string(i)));
  const std::string note = internal::SignCheckpoint(
      Checkpoint{fuzz::kCheckpointOrigin, leaves.size(),
                 internal::MerkleRoot(leaves, 0, leaves.size())},
      seed);
  Write("checkpoint_note", "size7.note", note);
  Write("checkpoint_note", "two-signatures.note",
        note + "\xE2\x80\x94 other.example/log AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
  Write("checkpoint_note", "verifier-key.txt",
        internal::VerifierKeyFor(fuzz::kCheckpointOrigin, seed));
  for (size_t m : {1, 3, 4, 6}) {
    ConsistencyProofData proof;
    proof.old_size = m;
    proof.new_size = leaves.size();
    proof.hashes = internal::ConsistencyProof(leaves, m);
    Write("consistency_proof", "m" + std::to_string(m) + "-n7.proof",
          FormatConsistencyProof(proof));
  }
}

void AgeFiles() {
  const OrgSecretKey org = fuzz::FuzzOrgKey();
  const std::vector<std::pair<std::string, size_t>> sizes = {
      {"empty.age", 0}, {"small.age", 100}, {"one-chunk.age", internal::kAgeChunkSize},
      {"two-chunks.age", internal::kAgeChunkSize + 10}};
  for (const auto& [name, size] : sizes) {
    std::ostringstream out;
    auto writer = OrDie(internal::AgeWriter::Create(org.public_key(), &out));
    if (!writer->Write(std::string(size, 'b')).ok() || !writer->Finish().ok()) std::exit(1);
    Write("age_reader", name, out.str());
  }
}

// A small store to the fuzz organisation key, as the bundle and report seeds come from it:
// `count` demo testimonies of the months up to 2026-03 (the facility registry included).
std::unique_ptr<Store> SeedStore(const std::string& dir, uint64_t count) {
  CreateOptions opts;
  opts.kdf = KdfParams{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
  opts.monitor_id = "fuzz-monitor";
  const OrgSecretKey org = fuzz::FuzzOrgKey();
  SecretBytes pass = fuzz::FuzzPassphrase();
  if (!Store::Create(dir, pass, org.public_key(), opts).ok()) std::exit(1);
  std::unique_ptr<Store> store = OrDie(Store::Open(dir, pass));
  if (!store->AddFacilities(DemoFacilities()).ok()) std::exit(1);
  DemoOptions demo;
  demo.count = count;
  demo.seed = 7;
  demo.until_month = "2026-03";
  std::vector<InputRecord> in;
  for (v1::Testimony& t : GenerateDemoTestimonies(demo)) in.push_back({"demo", std::move(t)});
  OrDie(store->Add(std::move(in)));
  return store;
}

// Decrypts an age file made to the fuzz organisation key.
std::string AgePlaintext(const std::string& file) {
  std::istringstream in(file);
  auto reader = OrDie(internal::AgeReader::Open(fuzz::FuzzOrgKey(), &in));
  std::string out;
  char buf[4096];
  for (;;) {
    size_t n = OrDie(reader->Read(buf, sizeof buf));
    if (n == 0) return out;
    out.append(buf, n);
  }
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Bundles signed by the fuzz signer key: three records; then one edit and one deletion (a
// second version and a tombstone); then an attachment (its message and the chunk of its age
// file, format 3); then its detach alone; then a facility testimony (the trailer carries its
// facility, format 4); then nothing new (a header and a trailer only). Each
// is written whole (the age file) and as its plaintext, which the target reads directly.
void Bundles(const std::string& tmp) {
  std::unique_ptr<Store> store = SeedStore(tmp + "/bundle-store", 3);
  const OrgSecretKey org = fuzz::FuzzOrgKey();
  const SignerSecretKey signer = fuzz::FuzzSignerKey();
  auto write = [&](const std::string& name) {
    const std::string path = tmp + "/" + name;
    OrDie(store->ExportBundle(path, org.public_key(), signer, BundleExportOptions{}));
    const std::string file = ReadWhole(path);
    Write("bundle_reader", name + ".age", file);
    Write("bundle_reader", name + ".plain", AgePlaintext(file));
  };
  write("three-records");
  std::vector<RecordInfo> list = OrDie(store->List(ListFilter{}));
  RecordVersion first = OrDie(store->Get(list[0].id));
  first.testimony.set_narrative("edited for the fuzz seed");
  OrDie(store->Edit(list[0].id, {"edit", first.testimony}));
  if (!store->Delete(list[1].id, "a duplicate").ok()) std::exit(1);
  write("edit-and-tombstone");
  const std::string clip = tmp + "/clip.bin";
  {
    std::ofstream out(clip, std::ios::binary | std::ios::trunc);
    out << std::string(300, 'c');
  }
  AttachOptions attach;
  attach.keep_metadata = true;  // an unknown type, kept as received
  attach.caption = "a fuzz seed caption";
  OrDie(store->Attach(list[0].id, clip, attach));
  write("attachment");
  if (!store->Detach(list[0].id, 1, "a fuzz seed detach").ok()) std::exit(1);
  write("detach");
  // A facility testimony: the trailer carries its facility's registry entry (format 4).
  DemoOptions demo;
  demo.count = 50;
  demo.seed = 7;
  demo.until_month = "2026-03";
  std::vector<InputRecord> facility;
  for (v1::Testimony& t : GenerateDemoTestimonies(demo)) {
    if (t.has_facility()) {
      facility.push_back({"demo", std::move(t)});
      break;
    }
  }
  if (facility.empty()) std::exit(1);
  OrDie(store->Add(std::move(facility)));
  write("facility");
  write("empty");
}

// A report of March 2026 signed by the fuzz signer key, as the auditor's folder holds it,
// packed into one input for fuzz_report_reader (fuzz_common.h, PackFolder): the full report,
// and one with a single table. The seeds *-format1.report are the same two as format 1 of the
// report folder wrote them (before issue 16); they are kept, not rewritten, since verify still
// reads format 1.
void Reports(const std::string& tmp) {
  std::unique_ptr<Store> store = SeedStore(tmp + "/report-store", 60);
  const OrgSecretKey org = fuzz::FuzzOrgKey();
  const SignerSecretKey signer = fuzz::FuzzSignerKey();
  for (const bool one_table : {false, true}) {
    ReportRequest req;
    req.month = "2026-03";
    v1::ReportSettings settings;
    if (one_table) settings.add_tables("people_by_route");
    req.settings = OrDie(CompleteReportSettings(settings));
    BuiltReport built = OrDie(BuildReport(*store, org, req));
    std::vector<OutputFile> files = OrDie(RenderReport(built, signer));
    std::map<std::string, std::string> folder;
    for (OutputFile& f : files) folder[f.name] = std::move(f.bytes);
    Write("report_reader", one_table ? "one-table.report" : "full.report",
          fuzz::PackFolder(folder));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seeds tests/fuzz/corpus\n");
    return 2;
  }
  g_root = argv[1];
  fuzz::InitOrDie();
  KeyEnvelopes();
  PublicKeys();
  Minisig();
  Checkpoints();
  AgeFiles();
  char tmpl[] = "/tmp/tvault-seeds-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return 1;
  Bundles(tmpl);
  Reports(tmpl);
  std::filesystem::remove_all(tmpl);
  return 0;
}
