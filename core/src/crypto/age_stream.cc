// The age v1 payload: a 16-byte nonce, then the STREAM construction over 64 KiB chunks with
// ChaCha20-Poly1305, nonce = 11-byte big-endian chunk counter || last-chunk flag.
#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "crypto/age.h"

namespace tvault::internal {
namespace {

constexpr size_t kSealedChunkSize = kAgeChunkSize + kAgeTagSize;

void ChunkNonce(uint64_t counter, bool last,
                uint8_t nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES]) {
  std::memset(nonce, 0, crypto_aead_chacha20poly1305_ietf_NPUBBYTES);
  for (int i = 0; i < 8; ++i) nonce[10 - i] = static_cast<uint8_t>(counter >> (8 * i));
  nonce[11] = last ? 1 : 0;
}

// payload key = HKDF-SHA-256(ikm = file key, salt = payload nonce, info = "payload").
SecretBytes PayloadKey(const SecretBytes& file_key, const uint8_t* nonce) {
  return HkdfSha256(file_key.data(), file_key.size(),
                    std::string_view(reinterpret_cast<const char*>(nonce), kAgePayloadNonceSize),
                    "payload", crypto_aead_chacha20poly1305_ietf_KEYBYTES);
}

std::string ChunkName(uint64_t counter) { return "age payload chunk " + std::to_string(counter); }

}  // namespace

// ---- AgeWriter ----

AgeWriter::AgeWriter(std::ostream* out, SecretBytes payload_key, SecretBytes chunk)
    : out_(out),
      payload_key_(std::move(payload_key)),
      chunk_(std::move(chunk)),
      sealed_(kSealedChunkSize) {}

AgeWriter::~AgeWriter() = default;

Result<std::unique_ptr<AgeWriter>> AgeWriter::Create(const OrgPublicKey& recipient,
                                                     std::ostream* out) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  SecretBytes file_key(kAgeFileKeySize);
  SecretBytes chunk(kAgeChunkSize);
  if (!file_key.valid() || !chunk.valid()) return Internal("cannot allocate secure memory");
  randombytes_buf(file_key.data(), file_key.size());
  std::string header;
  TVAULT_RETURN_IF_ERROR(BuildAgeHeader(recipient, file_key, &header));
  uint8_t nonce[kAgePayloadNonceSize];
  randombytes_buf(nonce, sizeof nonce);
  SecretBytes payload_key = PayloadKey(file_key, nonce);
  if (!payload_key.valid()) return Internal("cannot allocate secure memory");
  out->write(header.data(), static_cast<std::streamsize>(header.size()));
  out->write(reinterpret_cast<const char*>(nonce), sizeof nonce);
  if (!*out) return IoError("cannot write the age header");
  return std::unique_ptr<AgeWriter>(
      new AgeWriter(out, std::move(payload_key), std::move(chunk)));
}

Status AgeWriter::EncryptChunk(bool last) {
  uint8_t nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];
  ChunkNonce(counter_, last, nonce);
  unsigned long long len = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(sealed_.data(), &len, chunk_.data(), fill_, nullptr,
                                            0, nullptr, nonce, payload_key_.data());
  sodium_memzero(chunk_.data(), fill_);
  fill_ = 0;
  ++counter_;
  out_->write(reinterpret_cast<const char*>(sealed_.data()), static_cast<std::streamsize>(len));
  if (!*out_) return IoError("cannot write the age payload");
  return Status::Ok();
}

Status AgeWriter::Write(std::string_view data) {
  if (!error_.ok()) return error_;
  if (finished_) return InvalidArgument("age file already finished");
  while (!data.empty()) {
    // A full chunk is sealed only once more data follows it: the last chunk, sealed by
    // Finish, must carry the last-chunk flag and may be full but never empty (unless the
    // whole file is).
    if (fill_ == kAgeChunkSize) {
      error_ = EncryptChunk(false);
      if (!error_.ok()) return error_;
    }
    size_t n = std::min(data.size(), kAgeChunkSize - fill_);
    std::memcpy(chunk_.data() + fill_, data.data(), n);
    fill_ += n;
    data.remove_prefix(n);
  }
  return Status::Ok();
}

Status AgeWriter::Finish() {
  if (!error_.ok()) return error_;
  if (finished_) return InvalidArgument("age file already finished");
  finished_ = true;
  error_ = EncryptChunk(true);
  if (!error_.ok()) return error_;
  out_->flush();
  if (!*out_) error_ = IoError("cannot write the age payload");
  return error_;
}

// ---- AgeReader ----

AgeReader::AgeReader(std::istream* in, SecretBytes payload_key, SecretBytes chunk)
    : in_(in),
      payload_key_(std::move(payload_key)),
      chunk_(std::move(chunk)),
      sealed_(kSealedChunkSize) {}

AgeReader::~AgeReader() = default;

Result<std::unique_ptr<AgeReader>> AgeReader::Open(const OrgSecretKey& identity,
                                                   std::istream* in) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  TVAULT_ASSIGN_OR_RETURN(SecretBytes file_key, ReadAgeHeader(identity, in));
  uint8_t nonce[kAgePayloadNonceSize];
  in->read(reinterpret_cast<char*>(nonce), sizeof nonce);
  if (in->bad()) return IoError("read error in age payload");
  if (static_cast<size_t>(in->gcount()) != sizeof nonce) {
    return Damaged("truncated age file (no payload)");
  }
  SecretBytes payload_key = PayloadKey(file_key, nonce);
  SecretBytes chunk(kAgeChunkSize);
  if (!payload_key.valid() || !chunk.valid()) return Internal("cannot allocate secure memory");
  return std::unique_ptr<AgeReader>(new AgeReader(in, std::move(payload_key), std::move(chunk)));
}

Status AgeReader::NextChunk() {
  in_->read(reinterpret_cast<char*>(sealed_.data()), kSealedChunkSize);
  if (in_->bad()) return IoError("read error in age payload");
  const size_t got = static_cast<size_t>(in_->gcount());
  if (got == 0) return Damaged("truncated age file (the last chunk is missing)");
  if (got < kAgeTagSize) return Damaged("truncated age file (" + ChunkName(counter_) + ")");

  auto open = [&](bool last) {
    uint8_t nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];
    ChunkNonce(counter_, last, nonce);
    unsigned long long len = 0;
    bool ok = crypto_aead_chacha20poly1305_ietf_decrypt(chunk_.data(), &len, nullptr,
                                                        sealed_.data(), got, nullptr, 0, nonce,
                                                        payload_key_.data()) == 0;
    chunk_len_ = ok ? static_cast<size_t>(len) : 0;
    chunk_pos_ = 0;
    return ok;
  };

  // A full-size chunk is either a middle chunk or a full last chunk; a shorter one can only be
  // the last (the stream ended inside it).
  bool last = false;
  if (got == kSealedChunkSize && open(false)) {
    last = false;
  } else if (open(true)) {
    last = true;
  } else {
    return Damaged(ChunkName(counter_) +
                   " failed authentication: the file was altered, reordered or truncated");
  }
  if (last) {
    if (chunk_len_ == 0 && counter_ != 0) {
      return Damaged("age file ends with an empty chunk after data (not allowed)");
    }
    if (in_->peek() != std::char_traits<char>::eof()) {
      return Damaged("trailing data after the last age chunk");
    }
    if (in_->bad()) return IoError("read error in age payload");
    done_ = true;
  }
  if (counter_ == UINT64_MAX) return Damaged("age payload too long");
  ++counter_;
  return Status::Ok();
}

Result<size_t> AgeReader::Read(char* buf, size_t n) {
  if (!error_.ok()) return error_;
  if (n == 0) return size_t{0};
  while (chunk_pos_ == chunk_len_) {
    if (done_) return size_t{0};
    error_ = NextChunk();
    if (!error_.ok()) {
      sodium_memzero(chunk_.data(), chunk_.size());
      chunk_len_ = chunk_pos_ = 0;
      return error_;
    }
  }
  size_t k = std::min(n, chunk_len_ - chunk_pos_);
  std::memcpy(buf, chunk_.data() + chunk_pos_, k);
  chunk_pos_ += k;
  return k;
}

}  // namespace tvault::internal
