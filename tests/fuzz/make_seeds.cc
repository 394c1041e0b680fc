// Writes the seed corpora that need the fixed fuzz keys (fuzz_common.h) into
// tests/fuzz/corpus/<target>/. Run by hand when a format changes (`make_seeds DIR`); the output
// is committed. The JSON seeds are plain files kept beside them and not written here.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sodium.h>

#include "crypto/age.h"
#include "crypto/envelope.h"
#include "fuzz_common.h"
#include "store/checkpoint.h"
#include "store/merkle.h"
#include "tvault/audit.h"

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
  return 0;
}
