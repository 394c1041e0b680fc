// Checkpoint notes to the letter of C2SP signed-note and tlog-checkpoint
// (https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint). The notes are made by hand
// here, in the shapes of the specs' examples (a log signature, witness cosignatures, a rotated
// key of the same name), signed with keys made from fixed seeds, so that every byte is chosen
// by the test and not by SignCheckpoint.
#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>
#include <string>

#include "store/checkpoint.h"
#include "tvault/audit.h"

namespace tvault {
namespace {

const char kDash[] = "\xe2\x80\x94";  // U+2014 EM DASH

std::string B64(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

// An Ed25519 signed-note key (type 0x01) made from a seed of 32 times `seed_byte`.
struct NoteKey {
  std::string name, pk, sk, hash;

  NoteKey(std::string n, unsigned char seed_byte) : name(std::move(n)) {
    EXPECT_GE(sodium_init(), 0);
    unsigned char seed[crypto_sign_SEEDBYTES];
    std::memset(seed, seed_byte, sizeof seed);
    pk.resize(crypto_sign_PUBLICKEYBYTES);
    sk.resize(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(pk.data()),
                             reinterpret_cast<unsigned char*>(sk.data()), seed);
    const std::string in = name + "\n" + std::string(1, '\x01') + pk;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(in.data()), in.size());
    hash.assign(reinterpret_cast<char*>(h), 4);
  }

  std::string VerifierKey() const {
    char hex[9];
    sodium_bin2hex(hex, sizeof hex, reinterpret_cast<const unsigned char*>(hash.data()), 4);
    return name + "+" + hex + "+" + B64(std::string(1, '\x01') + pk);
  }

  // "— <name> base64(key hash || signature of text)\n"
  std::string SigLine(const std::string& text) const {
    std::string sig(crypto_sign_BYTES, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                         reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                         reinterpret_cast<const unsigned char*>(sk.data()));
    return std::string(kDash) + " " + name + " " + B64(hash + sig) + "\n";
  }
};

const std::string kOrigin = "tvault/store/0123456789abcdef0123456789abcdef";

std::string Body(const std::string& extra = "") {
  return kOrigin + "\n20852163\n" + B64(std::string(32, '\x5a')) + "\n" + extra;
}

// A signature line of a key this verifier does not know, of `len` bytes after the key hash
// (a tlog-cosignature/v1 line has an 8-byte timestamp before its 64-byte signature).
std::string ForeignLine(const std::string& name, size_t len, char fill = 'w') {
  return std::string(kDash) + " " + name + " " + B64("\x12\x34\x56\x78" + std::string(len, fill)) +
         "\n";
}

class CheckpointNote : public ::testing::Test {
 protected:
  NoteKey log_{kOrigin, 7};
  Result<Checkpoint> Check(const std::string& note) {
    return VerifyCheckpointNote(note, log_.VerifierKey());
  }
  void ExpectRejected(const std::string& note, const std::string& why) {
    auto r = Check(note);
    ASSERT_FALSE(r.ok()) << "accepted: " << note;
    EXPECT_EQ(r.status().code(), Code::kDamaged) << r.status().message();
    EXPECT_NE(r.status().message().find(why), std::string::npos)
        << "message: " << r.status().message() << "\nexpected to contain: " << why;
  }
};

TEST_F(CheckpointNote, PlainNoteVerifies) {
  auto r = Check(Body() + "\n" + log_.SigLine(Body()));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->origin, kOrigin);
  EXPECT_EQ(r->size, 20852163u);
  EXPECT_EQ(r->root, std::string(32, '\x5a'));
}

// Cosignatures of witnesses, and a signature of a rotated key under the log's own name, are
// signatures of keys this verifier does not know: ignored, in any order and of any length.
TEST_F(CheckpointNote, SignaturesOfUnknownKeysAreIgnored) {
  const std::string body = Body();
  const std::string ours = log_.SigLine(body);
  NoteKey witness("witness.example/w1", 9);
  NoteKey rotated(kOrigin, 8);  // same name, another key
  for (const std::string& sigs :
       {ours + witness.SigLine(body), witness.SigLine(body) + ours,
        rotated.SigLine(body) + ours, ours + rotated.SigLine(body),
        // Same name as the log, an unknown key hash and a cosignature's 72 bytes.
        ForeignLine(kOrigin, 72) + ours, ours + ForeignLine(kOrigin, 1),
        ForeignLine("witness.example/w2", 72) + ours + ForeignLine("w3", 200)}) {
    auto r = Check(body + "\n" + sigs);
    EXPECT_TRUE(r.ok()) << r.status().message() << "\n" << sigs;
  }
  // Unknown keys alone do not make a verified note.
  ExpectRejected(body + "\n" + rotated.SigLine(body) + witness.SigLine(body),
                 "not signed by the key");
}

// The signature block starts after the LAST blank line: a blank line among the signatures makes
// the lines before it part of the text, which the log's signature does not cover.
TEST_F(CheckpointNote, SplitsAtTheLastBlankLine) {
  const std::string body = Body();
  NoteKey witness("witness.example/w1", 9);
  // Signed over the body alone, the note then carries a blank line inside its signatures.
  ExpectRejected(body + "\n" + witness.SigLine(body) + "\n" + log_.SigLine(body),
                 "blank line");
  ExpectRejected(body + "\n" + log_.SigLine(body) + "\n" + witness.SigLine(body),
                 "blank line");
  // Signed over all the text before the last blank line (as C2SP's example note with a blank
  // line in its text): the signature holds, but a checkpoint's text has no blank line.
  const std::string text = body + "\n" + witness.SigLine(body);
  ExpectRejected(text + "\n" + log_.SigLine(text), "blank line");
}

TEST_F(CheckpointNote, RejectsWhatIsNotASignatureLine) {
  const std::string body = Body();
  const std::string ours = log_.SigLine(body);
  ExpectRejected(body + "\n" + ours + "hello\n", "not a signature line");
  ExpectRejected(body + "\n" + "- " + kOrigin + " " + B64(std::string(68, 'a')) + "\n" + ours,
                 "not a signature line");
  // A name with a space (or none at all), no base64, base64 too short for a key hash.
  ExpectRejected(body + "\n" + ForeignLine("two words", 64) + ours, "signature line");
  ExpectRejected(body + "\n" + std::string(kDash) + "  " + B64(std::string(68, 'a')) + "\n" +
                     ours,
                 "signature line");
  ExpectRejected(body + "\n" + std::string(kDash) + " w1\n" + ours, "signature line");
  ExpectRejected(body + "\n" + std::string(kDash) + " w1 " + B64("abcd") + "\n" + ours,
                 "signature line");
  ExpectRejected(body + "\n" + std::string(kDash) + " w1 " + B64(std::string(68, 'a')) +
                     " x\n" + ours,
                 "signature line");
  // A name with "+", which no verifier key can carry.
  ExpectRejected(body + "\n" + ForeignLine("a+b", 64) + ours, "signature line");
  // No signature block at all, an empty one, an unterminated last line.
  ExpectRejected(body, "no signature");
  ExpectRejected(body + "\n", "no signature");
  ExpectRejected(body + "\n" + ours.substr(0, ours.size() - 1), "not terminated");
  // The log's own key with a signature of the wrong length is malformed, not "unknown".
  ExpectRejected(body + "\n" + std::string(kDash) + " " + kOrigin + " " +
                     B64(log_.hash + std::string(63, 's')) + "\n",
                 "signature line");
}

TEST_F(CheckpointNote, RejectsTooManySignatures) {
  const std::string body = Body();
  std::string sigs = log_.SigLine(body);
  for (int i = 0; i < 16; ++i) sigs += ForeignLine("witness.example/w" + std::to_string(i), 72);
  ExpectRejected(body + "\n" + sigs, "signatures");
  // 16 in all are fine.
  sigs = log_.SigLine(body);
  for (int i = 0; i < 15; ++i) sigs += ForeignLine("witness.example/w" + std::to_string(i), 72);
  EXPECT_TRUE(Check(body + "\n" + sigs).ok());
}

// Control characters and invalid UTF-8 are refused anywhere in the note, even where they are
// covered by a valid signature (an extension line of the checkpoint).
TEST_F(CheckpointNote, RejectsControlCharactersAndInvalidUtf8) {
  for (const std::string& ext : {std::string("ext\r\n"), std::string("ext\tx\n"),
                                 std::string("e\x1b[31mred\n"), std::string("e\x7f\n"),
                                 std::string("caf\xc3\n"), std::string("\xff\xfe\n"),
                                 std::string("\xc0\xaf\n"), std::string("\xed\xa0\x80\n")}) {
    const std::string body = Body(ext);
    ExpectRejected(body + "\n" + log_.SigLine(body), "checkpoint note");
  }
  // Valid UTF-8 in an extension line is fine.
  const std::string body = Body("caf\xc3\xa9 \xe2\x80\x94 extension\n");
  EXPECT_TRUE(Check(body + "\n" + log_.SigLine(body)).ok());
  // In a signature line too.
  ExpectRejected(Body() + "\n" + ForeignLine("w\x01", 64) + log_.SigLine(Body()),
                 "checkpoint note");
}

TEST_F(CheckpointNote, RejectsAVerifierKeyWhoseNameHasSpaces) {
  NoteKey spaced("a log", 5);
  const std::string note = Body() + "\n" + spaced.SigLine(Body());
  auto r = VerifyCheckpointNote(note, spaced.VerifierKey());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace tvault
