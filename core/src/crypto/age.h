// The age v1 file format (https://c2sp.org/age), X25519 recipients only, streaming both ways.
//
// Bundles are age files encrypted to the organisation key, so that a coordinator can always
// recover one with the stock `age` tool (`age -d -i identity.txt`), whatever becomes of tvault.
// What is implemented, and what is not (passphrase/scrypt stanzas, plugins, ASCII armor):
// docs/age.md.
//
// Memory is O(one 64 KiB chunk) in both directions; plaintext chunks, the file key and every
// key derived from it live in SecretBytes and are wiped when freed.
#ifndef TVAULT_CRYPTO_AGE_H_
#define TVAULT_CRYPTO_AGE_H_

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "tvault/keys.h"
#include "tvault/secret.h"
#include "tvault/status.h"

namespace tvault::internal {

constexpr size_t kAgeChunkSize = 64 * 1024;  // plaintext bytes per STREAM chunk
constexpr size_t kAgeTagSize = 16;           // Poly1305 tag per chunk
constexpr size_t kAgeFileKeySize = 16;
constexpr size_t kAgePayloadNonceSize = 16;
// A header larger than this is refused before any of it is authenticated, so a hostile file
// cannot make the reader buffer or unwrap without bound (tvault writes ~200 bytes; stock age
// with a few X25519 recipients writes well under 1 KiB).
constexpr size_t kAgeMaxHeaderBytes = 64 * 1024;

// Encrypts one age v1 file to one X25519 recipient, streaming: header and payload nonce are
// written by Create, then each full 64 KiB chunk as soon as more data follows it, and the
// last chunk by Finish. A writer destroyed without a successful Finish leaves a file that
// every age reader rejects as truncated.
class AgeWriter {
 public:
  // Writes the header to `out` (which must outlive the writer). kInvalidArgument when the
  // recipient is a low-order point (its shared secret would be all zero); kIoError when the
  // stream fails.
  static Result<std::unique_ptr<AgeWriter>> Create(const OrgPublicKey& recipient,
                                                   std::ostream* out);

  ~AgeWriter();
  AgeWriter(const AgeWriter&) = delete;
  AgeWriter& operator=(const AgeWriter&) = delete;

  // Appends plaintext. Any failure (kIoError) is sticky: later calls return it again.
  Status Write(std::string_view data);
  // Writes the last chunk and flushes the stream. After Finish, Write and Finish fail with
  // kInvalidArgument.
  Status Finish();

 private:
  AgeWriter(std::ostream* out, SecretBytes payload_key, SecretBytes chunk);
  Status EncryptChunk(bool last);

  std::ostream* out_;
  SecretBytes payload_key_;
  SecretBytes chunk_;  // kAgeChunkSize bytes of buffered plaintext
  size_t fill_ = 0;
  uint64_t counter_ = 0;
  std::vector<uint8_t> sealed_;
  bool finished_ = false;
  Status error_;
};

// Decrypts one age v1 file with the organisation's X25519 identity, streaming.
class AgeReader {
 public:
  // Reads and authenticates the header from `in` (which must outlive the reader) and the
  // 16-byte payload nonce; the stream is left at the first chunk. Errors:
  //   kDamaged          "not an age file"; a malformed header; "header MAC mismatch
  //                     (altered)"; a header larger than kAgeMaxHeaderBytes; no payload.
  //   kInvalidArgument  "not encrypted to this organisation key": no X25519 stanza opens with
  //                     `identity` (also the result when an X25519 stanza was altered: the
  //                     two cannot be told apart).
  //   kUnsupported      an ASCII-armored file or another age version.
  //   kIoError          the stream failed.
  static Result<std::unique_ptr<AgeReader>> Open(const OrgSecretKey& identity, std::istream* in);

  ~AgeReader();
  AgeReader(const AgeReader&) = delete;
  AgeReader& operator=(const AgeReader&) = delete;

  // Copies up to `n` bytes of plaintext into `buf` and returns how many; every byte returned
  // belongs to a chunk that was authenticated. Returns 0 (with n > 0) only at the
  // authenticated end of the file: only then is the plaintext known to be whole. kDamaged when
  // a chunk fails authentication (altered, reordered), the file is truncated (including a
  // missing last chunk at a chunk boundary), an empty last chunk follows data, or bytes follow
  // the last chunk; kIoError when the stream fails. Errors are sticky.
  Result<size_t> Read(char* buf, size_t n);

 private:
  AgeReader(std::istream* in, SecretBytes payload_key, SecretBytes chunk);
  Status NextChunk();

  std::istream* in_;
  SecretBytes payload_key_;
  SecretBytes chunk_;  // the current decrypted chunk
  size_t chunk_len_ = 0;
  size_t chunk_pos_ = 0;
  uint64_t counter_ = 0;
  std::vector<uint8_t> sealed_;
  bool done_ = false;
  Status error_;
};

// The age identity for the organisation secret key: "AGE-SECRET-KEY-1..." (upper-case Bech32,
// human-readable part "age-secret-key-"), usable as `age -d -i FILE`. It IS the organisation
// secret, so it is returned in sodium_malloc memory, wiped when freed, and never passes
// through a std::string (empty, !valid(), only when secure memory cannot be allocated).
SecretBytes AgeIdentityString(const OrgSecretKey& key);

// ---- Building blocks, shared by age_header.cc and age_stream.cc and exposed for tests. ----

// HKDF-SHA-256 (RFC 5869). An empty salt means HashLen zero bytes, as the RFC specifies.
// REQUIRES: out_len <= 255 * 32. An invalid result only when secure memory runs out.
SecretBytes HkdfSha256(const uint8_t* ikm, size_t ikm_len, std::string_view salt,
                       std::string_view info, size_t out_len);

// Standard base64 without padding (RFC 4648 section 4, "=" removed), as age uses it.
std::string AgeBase64Encode(const uint8_t* data, size_t size);
// Decodes unpadded standard base64; false unless `text` is the canonical encoding (no
// padding, no whitespace, zero unused bits).
bool AgeBase64Decode(std::string_view text, std::vector<uint8_t>* out);

// Encodes one stanza: "-> " + args joined by spaces + "\n", then the body in base64 lines of
// 64 columns, the last line always shorter than 64 (empty when the body's encoding is a
// multiple of 64 columns, including an empty body). REQUIRES: args are non-empty strings of
// printable ASCII without spaces.
std::string EncodeAgeStanza(const std::vector<std::string>& args,
                            const std::vector<uint8_t>& body);

// Writes the complete header (version line, one X25519 stanza wrapping `file_key` to
// `recipient`, MAC line) into `*header`.
Status BuildAgeHeader(const OrgPublicKey& recipient, const SecretBytes& file_key,
                      std::string* header);

// Reads a header from `in`, up to and including the MAC line, and returns the file key once
// the MAC is verified. Errors as AgeReader::Open.
Result<SecretBytes> ReadAgeHeader(const OrgSecretKey& identity, std::istream* in);

}  // namespace tvault::internal

#endif  // TVAULT_CRYPTO_AGE_H_
