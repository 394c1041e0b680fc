// Reading a bundle: decryption, framing and structure checks, then the signer.
#include <sodium.h>

#include <cstring>
#include <optional>

#include "bundle/format.h"
#include "store/checkpoint.h"
#include "tvault/audit.h"
#include "tvault/schema.h"

namespace tvault::internal {

void AppendVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

std::string BundleFooter(uint64_t payload_bytes, size_t signature_bytes) {
  char buf[kBundleFooterSize + 1];
  std::snprintf(buf, sizeof buf, "%s%020llu %04zu\n", kBundleFooterMagic,
                static_cast<unsigned long long>(payload_bytes), signature_bytes);
  return std::string(buf, kBundleFooterSize);
}

namespace {

static_assert(sizeof(kBundleFooterMagic) - 1 + kBundleFooterPayloadDigits + 1 +
                      kBundleFooterSignatureDigits + 1 ==
                  kBundleFooterSize,
              "footer layout");

// The decrypted plaintext as a byte stream; bytes are hashed while `hashing` (the payload).
class PlainStream {
 public:
  explicit PlainStream(const BundlePlainSource& source)
      : source_(source), buf_(kAgeChunkSize) {
    crypto_hash_sha256_init(&sha_);
  }

  // Reads exactly `n` bytes into `out`. Returns false when the plaintext ended first (and
  // nothing was read), kDamaged when it ended part-way.
  Result<bool> ReadExact(char* out, size_t n) {
    size_t done = 0;
    while (done < n) {
      if (pos_ == len_) {
        TVAULT_ASSIGN_OR_RETURN(size_t got,
                                source_(reinterpret_cast<char*>(buf_.data()), buf_.size()));
        if (got == 0) {
          if (done == 0) return false;
          return Damaged("truncated: the plaintext ends inside a message");
        }
        pos_ = 0;
        len_ = got;
      }
      size_t take = std::min(n - done, len_ - pos_);
      std::memcpy(out + done, buf_.data() + pos_, take);
      if (hashing_) {
        hasher_.Update(std::string_view(out + done, take));
        crypto_hash_sha256_update(&sha_, reinterpret_cast<const uint8_t*>(out + done), take);
        hashed_ += take;
      }
      pos_ += take;
      done += take;
    }
    return true;
  }

  // Reads a varint. Returns nullopt at the end of the plaintext.
  Result<std::optional<uint64_t>> ReadVarint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      char c;
      TVAULT_ASSIGN_OR_RETURN(bool got, ReadExact(&c, 1));
      if (!got) {
        if (shift == 0) return std::optional<uint64_t>();
        return Damaged("truncated: the plaintext ends inside a length prefix");
      }
      v |= static_cast<uint64_t>(static_cast<uint8_t>(c) & 0x7f) << shift;
      if ((static_cast<uint8_t>(c) & 0x80) == 0) return std::optional<uint64_t>(v);
    }
    return Damaged("malformed length prefix");
  }

  // Reads everything left, up to `max` bytes (kDamaged beyond).
  Result<std::string> ReadRest(size_t max) {
    std::string out;
    char c;
    for (;;) {
      TVAULT_ASSIGN_OR_RETURN(bool got, ReadExact(&c, 1));
      if (!got) return out;
      if (out.size() == max) return Damaged("unexpected data after the signature");
      out.push_back(c);
    }
  }

  void StopHashing() { hashing_ = false; }
  uint64_t hashed() const { return hashed_; }
  MinisignPrehash Prehash() { return hasher_.Final(); }
  std::string Sha256() {
    std::string out(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256_final(&sha_, reinterpret_cast<uint8_t*>(out.data()));
    return out;
  }

 private:
  const BundlePlainSource& source_;
  SecretBytes buf_;
  size_t pos_ = 0, len_ = 0;
  bool hashing_ = true;
  uint64_t hashed_ = 0;
  MinisignHasher hasher_;
  crypto_hash_sha256_state sha_;
};

bool RecordKeyLess(const std::string& id1, uint32_t v1, const std::string& h1,
                   const std::string& id2, uint32_t v2, const std::string& h2) {
  if (id1 != id2) return id1 < id2;
  if (v1 != v2) return v1 < v2;
  return h1 < h2;
}

bool IsLowerHex(const std::string& s, size_t len) {
  return s.size() == len && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string Sha256Of(const std::string& bytes) {
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<uint8_t*>(out.data()),
                     reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return out;
}

// Checks one record on its own; returns its content hash.
Result<std::string> CheckRecord(const v1::BundleRecord& r, uint64_t n) {
  // The id is named only once it is known to be hex: a hostile one never reaches a terminal.
  if (!IsLowerHex(r.id(), 32)) {
    return Damaged("record " + std::to_string(n) + ": id is not 32 hex digits");
  }
  const std::string where = "record " + std::to_string(n) + " (" + r.id() + " v" +
                            std::to_string(r.version()) + ")";
  if (r.version() == 0) return Damaged(where + ": version 0");
  if ((r.version() == 1) != r.parent_hash().empty() ||
      (!r.parent_hash().empty() && r.parent_hash().size() != crypto_hash_sha256_BYTES)) {
    return Damaged(where + ": parent hash does not fit the version");
  }
  if (r.kind() != v1::PUSHBACK && r.kind() != v1::FACILITY) {
    return Damaged(where + ": unknown kind");
  }
  if (r.created_at().empty() || r.created_at().size() > 64) {
    return Damaged(where + ": missing or overlong created_at");
  }
  if (r.tombstone()) {
    if (!r.body().empty() || r.reason().empty() || r.reason().size() > kMaxShortFieldBytes) {
      return Damaged(where + ": malformed tombstone");
    }
    return Sha256Of(r.reason());
  }
  v1::Testimony t;
  if (!r.reason().empty() || !t.ParseFromString(r.body()) || t.id() != r.id() ||
      t.kind() != r.kind() || t.has_identity()) {
    return Damaged(where + ": the body is not this record's testimony");
  }
  return Sha256Of(r.body());
}

Status CheckHeader(const v1::BundleHeader& h) {
  if (h.format_version() > kBundleFormatVersion) {
    return Status(Code::kUnsupported, "bundle format version " +
                                          std::to_string(h.format_version()) +
                                          " is newer than this tvault supports (" +
                                          std::to_string(kBundleFormatVersion) + ")");
  }
  if (h.format_version() == 0) return Damaged("the header has no format version");
  if (!IsLowerHex(h.store_id(), 32)) return Damaged("the header's store id is malformed");
  return Status::Ok();
}

Status CheckTrailer(const v1::BundleHeader& h, const v1::BundleTrailer& t, uint64_t records,
                    uint64_t tombstones) {
  if (t.record_count() != records || h.record_versions() != records ||
      h.tombstones() != tombstones) {
    return Damaged("record counts do not match (header " + std::to_string(h.record_versions()) +
                   ", trailer " + std::to_string(t.record_count()) + ", found " +
                   std::to_string(records) + ")");
  }
  auto cp = VerifyCheckpointNote(t.checkpoint_note(), t.log_verifier_key());
  if (!cp.ok()) return cp.status().WithContext("the trailer's audit-log checkpoint");
  if (cp->origin != kCheckpointOriginPrefix + h.store_id()) {
    return Damaged("the trailer's audit-log checkpoint is of another store");
  }
  return Status::Ok();
}

}  // namespace

Result<BundleScan> ScanBundle(const std::string& path, const OrgSecretKey& org,
                              const BundleRecordFn& on_record, const BundleProgress& progress,
                              const char* phase) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open " + path);
  TVAULT_ASSIGN_OR_RETURN(std::unique_ptr<AgeReader> age, AgeReader::Open(org, &in));
  return ScanBundlePlaintext(
      [&age](char* buf, size_t n) { return age->Read(buf, n); }, on_record, progress, phase);
}

Result<BundleScan> ScanBundlePlaintext(const BundlePlainSource& source,
                                       const BundleRecordFn& on_record,
                                       const BundleProgress& progress, const char* phase) {
  PlainStream plain(source);
  BundleScan scan;
  std::string msg_bytes;
  uint64_t index = 0, records = 0, tombstones = 0, versions_of_id = 0;
  std::string last_id, last_hash;
  uint32_t last_version = 0;
  for (;; ++index) {
    TVAULT_ASSIGN_OR_RETURN(std::optional<uint64_t> len, plain.ReadVarint());
    if (!len) return Damaged("truncated: the payload ends before its trailer");
    if (*len > kBundleMaxMessageBytes) {
      return Damaged("message " + std::to_string(index + 1) + " is larger than " +
                     std::to_string(kBundleMaxMessageBytes >> 20) + " MiB");
    }
    msg_bytes.resize(static_cast<size_t>(*len));
    TVAULT_ASSIGN_OR_RETURN(bool got, plain.ReadExact(msg_bytes.data(), msg_bytes.size()));
    if (!got && *len > 0) return Damaged("truncated: the payload ends inside a message");
    v1::BundleMessage msg;
    if (!msg.ParseFromString(msg_bytes)) {
      return Damaged("message " + std::to_string(index + 1) + " is not a bundle message");
    }
    if (index == 0) {
      if (!msg.has_header()) return Damaged("the payload does not start with a header");
      TVAULT_RETURN_IF_ERROR(CheckHeader(msg.header()));
      scan.header = msg.header();
      continue;
    }
    if (msg.has_header()) return Damaged("a second header (reordered or spliced bundle)");
    if (msg.has_trailer()) {
      TVAULT_RETURN_IF_ERROR(CheckTrailer(scan.header, msg.trailer(), records, tombstones));
      scan.trailer = msg.trailer();
      break;
    }
    if (!msg.has_record()) return Damaged("message " + std::to_string(index + 1) + " is empty");
    const v1::BundleRecord& r = msg.record();
    ++records;
    TVAULT_ASSIGN_OR_RETURN(std::string hash, CheckRecord(r, records));
    if (r.tombstone()) ++tombstones;
    // Strictly increasing (id, version, hash): reordered or repeated records are refused.
    if (records > 1 && !RecordKeyLess(last_id, last_version, last_hash, r.id(), r.version(), hash)) {
      return Damaged("record " + std::to_string(records) + " is out of order (reordered bundle)");
    }
    versions_of_id = r.id() == last_id ? versions_of_id + 1 : 1;
    if (versions_of_id > kBundleMaxVersionsPerRecord) {
      return Damaged("record " + r.id() + " has more than " +
                     std::to_string(kBundleMaxVersionsPerRecord) + " versions");
    }
    last_id = r.id();
    last_version = r.version();
    last_hash = hash;
    if (on_record) TVAULT_RETURN_IF_ERROR(on_record(r, hash));
    if (progress && records % 1000 == 0) progress(phase, records, scan.header.record_versions());
  }
  scan.payload_bytes = plain.hashed();
  scan.prehash = plain.Prehash();
  scan.payload_sha256 = plain.Sha256();
  plain.StopHashing();
  if (progress) progress(phase, records, scan.header.record_versions());

  TVAULT_ASSIGN_OR_RETURN(std::string rest,
                          plain.ReadRest(kBundleMaxSignatureBytes + kBundleFooterSize));
  if (rest.size() < kBundleFooterSize) return Damaged("truncated: the signature is missing");
  const std::string footer = rest.substr(rest.size() - kBundleFooterSize);
  const size_t sig_len = rest.size() - kBundleFooterSize;
  if (footer != BundleFooter(scan.payload_bytes, sig_len)) {
    return Damaged("the footer does not match the payload and signature lengths");
  }
  scan.signature = rest.substr(0, sig_len);
  return scan;
}

Result<TrustedSigner> VerifyBundleSigner(const BundleScan& scan,
                                         const std::vector<TrustedSigner>& trusted) {
  TVAULT_ASSIGN_OR_RETURN(SignerKeyId key_id, MinisignSignatureKeyId(scan.signature));
  for (const TrustedSigner& t : trusted) {
    if (t.key.key_id() != key_id) continue;
    TVAULT_ASSIGN_OR_RETURN(std::string comment,
                            VerifyMinisignPrehashed(t.key, scan.prehash, scan.signature));
    (void)comment;
    // minisign's first line is an untrusted comment that no signature covers. Inside a bundle
    // it can only be the one tvault writes, so any other is refused: then no byte of a bundle
    // can change without the bundle being rejected.
    const std::string expected = "untrusted comment: signature from tvault signer key " +
                                 t.key.KeyIdHex() + "\n";
    if (scan.signature.compare(0, expected.size(), expected) != 0) {
      return Damaged("the signature's untrusted comment is not the one tvault writes");
    }
    return t;
  }
  SignerPublicKey unknown(key_id, {});
  return InvalidArgument("signed by key " + unknown.KeyIdHex() +
                         ", which this store does not trust (see `tvault trust add`)");
}

}  // namespace tvault::internal
