// Reading a bundle: decryption, framing and structure checks, then the signer.
#include <sodium.h>

#include <cstring>
#include <optional>

#include "bundle/format.h"
#include "crypto/sha256.h"
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
// Hashing runs over whole stretches of the chunk buffer (as they are consumed, before the
// buffer is refilled, and when hashing stops), not over each small read.
class PlainStream {
 public:
  PlainStream(const BundlePlainSource& source, bool prehash)
      : source_(source), buf_(kAgeChunkSize), prehash_(prehash) {}

  // Makes the next `n` bytes available in `*out`: a view into the chunk buffer when they lie
  // in it, else a copy in `*spill`; either is valid until the next read. Returns false when
  // the plaintext ended first (and nothing was read), kDamaged when it ended part-way.
  Result<bool> Read(size_t n, std::string* spill, std::string_view* out) {
    if (n <= len_ - pos_) {
      *out = std::string_view(reinterpret_cast<const char*>(buf_.data()) + pos_, n);
      Consume(n);
      return true;
    }
    spill->resize(n);
    size_t done = 0;
    while (done < n) {
      if (pos_ == len_) {
        TVAULT_ASSIGN_OR_RETURN(bool more, Refill());
        if (!more) {
          if (done == 0) return false;
          return Damaged("truncated: the plaintext ends inside a message");
        }
      }
      const size_t take = std::min(n - done, len_ - pos_);
      std::memcpy(spill->data() + done, buf_.data() + pos_, take);
      Consume(take);
      done += take;
    }
    *out = *spill;
    return true;
  }

  // Reads one byte. Returns false at the end of the plaintext.
  Result<bool> ReadByte(uint8_t* c) {
    if (pos_ == len_) {
      TVAULT_ASSIGN_OR_RETURN(bool more, Refill());
      if (!more) return false;
    }
    *c = buf_.data()[pos_];
    Consume(1);
    return true;
  }

  // Reads a varint. Returns nullopt at the end of the plaintext.
  Result<std::optional<uint64_t>> ReadVarint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t c = 0;
      TVAULT_ASSIGN_OR_RETURN(bool got, ReadByte(&c));
      if (!got) {
        if (shift == 0) return std::optional<uint64_t>();
        return Damaged("truncated: the plaintext ends inside a length prefix");
      }
      v |= static_cast<uint64_t>(c & 0x7f) << shift;
      if ((c & 0x80) == 0) return std::optional<uint64_t>(v);
    }
    return Damaged("malformed length prefix");
  }

  // Reads everything left, up to `max` bytes (kDamaged beyond).
  Result<std::string> ReadRest(size_t max) {
    std::string out;
    uint8_t c = 0;
    for (;;) {
      TVAULT_ASSIGN_OR_RETURN(bool got, ReadByte(&c));
      if (!got) return out;
      if (out.size() == max) return Damaged("unexpected data after the signature");
      out.push_back(static_cast<char>(c));
    }
  }

  // Ends the hashed part (the payload) at the current position.
  void StopHashing() {
    HashUpTo(pos_);
    hashing_ = false;
  }
  uint64_t hashed() const { return hashed_; }
  // REQUIRES: StopHashing was called. Meaningless unless the stream was made with `prehash`.
  MinisignPrehash Prehash() { return hasher_.Final(); }
  // REQUIRES: StopHashing was called.
  Result<std::string> Sha256() { return sha_.Final(); }

 private:
  void Consume(size_t n) {
    pos_ += n;
    if (hashing_) hashed_ += n;
  }

  // Hashes the consumed bytes of the buffer not hashed yet, up to `end`.
  void HashUpTo(size_t end) {
    if (!hashing_ || end <= hashed_to_) return;
    std::string_view bytes(reinterpret_cast<const char*>(buf_.data()) + hashed_to_,
                           end - hashed_to_);
    if (prehash_) hasher_.Update(bytes);
    sha_.Update(bytes);
    hashed_to_ = end;
  }

  // REQUIRES: pos_ == len_. Returns false at the end of the plaintext.
  Result<bool> Refill() {
    HashUpTo(len_);
    TVAULT_ASSIGN_OR_RETURN(size_t got,
                            source_(reinterpret_cast<char*>(buf_.data()), buf_.size()));
    pos_ = len_ = hashed_to_ = 0;
    if (got == 0) return false;
    len_ = got;
    return true;
  }

  const BundlePlainSource& source_;
  SecretBytes buf_;
  size_t pos_ = 0, len_ = 0;
  size_t hashed_to_ = 0;  // buf_[0, hashed_to_) is hashed (while hashing_)
  bool hashing_ = true;
  const bool prehash_;
  uint64_t hashed_ = 0;
  MinisignHasher hasher_;
  Sha256Hasher sha_;
};

// The order of records in a payload: (id, version, content hash, parent hash).
bool RecordKeyLess(const std::string& id1, uint32_t v1, const std::string& h1,
                   const std::string& p1, const std::string& id2, uint32_t v2,
                   const std::string& h2, const std::string& p2) {
  if (id1 != id2) return id1 < id2;
  if (v1 != v2) return v1 < v2;
  if (h1 != h2) return h1 < h2;
  return p1 < p2;
}

bool IsLowerHex(const std::string& s, size_t len) {
  return s.size() == len && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Checks one record on its own; returns its content hash. A body is parsed into `*t`.
Result<std::string> CheckRecord(const v1::BundleRecord& r, uint64_t n, v1::Testimony* t) {
  // The id is named only once it is known to be hex: a hostile one never reaches a terminal.
  if (!IsLowerHex(r.id(), 32)) {
    return Damaged("record " + std::to_string(n) + ": id is not 32 hex digits");
  }
  auto fail = [&](const char* what) {
    return Damaged("record " + std::to_string(n) + " (" + r.id() + " v" +
                   std::to_string(r.version()) + "): " + what);
  };
  if (r.version() == 0) return fail("version 0");
  if ((r.version() == 1) != r.parent_hash().empty() ||
      (!r.parent_hash().empty() && r.parent_hash().size() != kSha256Bytes)) {
    return fail("parent hash does not fit the version");
  }
  if (r.kind() != v1::PUSHBACK && r.kind() != v1::FACILITY) {
    return fail("unknown kind");
  }
  if (r.created_at().empty() || r.created_at().size() > 64) {
    return fail("missing or overlong created_at");
  }
  if (r.tombstone()) {
    if (!r.body().empty() || r.reason().empty() ||
        !ValidateShortText(r.reason(), "reason").empty()) {
      return fail("malformed tombstone");
    }
    return Sha256Of(r.reason());
  }
  if (!r.reason().empty() || !t->ParseFromString(r.body()) || t->id() != r.id() ||
      t->kind() != r.kind() || t->has_identity()) {
    return fail("the body is not this record's testimony");
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
  if (h.format_version() < kMinBundleFormatVersion) {
    // Format 1 signed the payload but not the organisation it was encrypted to, so anyone
    // holding one organisation's secret could pass a monitor's bundle to another. Refused
    // rather than accepted unbound: its monitor exports the same versions again.
    return Status(Code::kUnsupported,
                  "bundle format version " + std::to_string(h.format_version()) +
                      " does not sign its recipient and is no longer accepted: ask its monitor "
                      "to update tvault and run `tvault bundle export --all`");
  }
  if (!IsLowerHex(h.store_id(), 32)) return Damaged("the header's store id is malformed");
  if (h.recipient().size() != kOrgKeySize) return Damaged("the header's recipient is malformed");
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
  if (h.format_version() < kBundleFormatFacilities && t.facilities_size() > 0) {
    return Damaged("a format " + std::to_string(h.format_version()) + " bundle carries facilities");
  }
  std::string previous;
  for (int i = 0; i < t.facilities_size(); ++i) {
    const v1::Facility& f = t.facilities(i);
    std::vector<FieldError> errors = ValidateFacility(f);
    if (!errors.empty()) {
      return Damaged("the trailer's facility " + std::to_string(i + 1) + " is not valid: " +
                     FormatFieldErrors(errors));
    }
    if (i > 0 && f.id() <= previous) {
      return Damaged("the trailer's facilities are not in id order, or one is given twice");
    }
    previous = f.id();
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
                              const char* phase, BundlePrehash prehash,
                              const BundleLimits& limits,
                              const BundleAttachmentHandler* attachments) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open " + path);
  TVAULT_ASSIGN_OR_RETURN(std::unique_ptr<AgeReader> age, AgeReader::Open(org, &in));
  TVAULT_ASSIGN_OR_RETURN(
      BundleScan scan,
      ScanBundlePlaintext([&age](char* buf, size_t n) { return age->Read(buf, n); }, on_record,
                          progress, phase, prehash, limits, attachments));
  // The signature covers the header: a bundle signed for one organisation and encrypted to
  // another was re-encrypted by someone holding the first organisation's secret.
  const auto& key = org.public_key().bytes();
  if (scan.header.recipient() != std::string(reinterpret_cast<const char*>(key.data()), key.size())) {
    std::array<uint8_t, kOrgKeySize> bytes;
    std::memcpy(bytes.data(), scan.header.recipient().data(), bytes.size());
    return Damaged("the bundle was signed for another organisation (key " +
                   OrgPublicKey(bytes).Fingerprint() +
                   ") and re-encrypted to this one: refused");
  }
  return scan;
}

Result<BundleScan> ScanBundlePlaintext(const BundlePlainSource& source,
                                       const BundleRecordFn& on_record,
                                       const BundleProgress& progress, const char* phase,
                                       BundlePrehash prehash, const BundleLimits& limits,
                                       const BundleAttachmentHandler* attachments) {
  PlainStream plain(source, prehash == BundlePrehash::kCompute);
  AttachmentScan attachment_scan(limits, attachments);
  BundleScan scan;
  std::string spill;  // a message that spans two chunks
  v1::Testimony body;
  uint64_t index = 0, records = 0, tombstones = 0, versions_of_id = 0;
  std::string last_id, last_hash, last_parent;
  uint32_t last_version = 0;
  for (;; ++index) {
    TVAULT_ASSIGN_OR_RETURN(std::optional<uint64_t> len, plain.ReadVarint());
    if (!len) return Damaged("truncated: the payload ends before its trailer");
    if (*len > kBundleMaxMessageBytes) {
      return Damaged("message " + std::to_string(index + 1) + " is larger than " +
                     std::to_string(kBundleMaxMessageBytes >> 20) + " MiB");
    }
    std::string_view msg_bytes;
    TVAULT_ASSIGN_OR_RETURN(bool got,
                            plain.Read(static_cast<size_t>(*len), &spill, &msg_bytes));
    if (!got && *len > 0) return Damaged("truncated: the payload ends inside a message");
    v1::BundleMessage msg;
    if (!msg.ParseFromArray(msg_bytes.data(), static_cast<int>(msg_bytes.size()))) {
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
      TVAULT_RETURN_IF_ERROR(attachment_scan.Finish(scan.header, msg.trailer()));
      scan.trailer = msg.trailer();
      break;
    }
    if (msg.has_attachment() || msg.has_attachment_chunk()) {
      if (scan.header.format_version() < kBundleFormatAttachments) {
        return Damaged("message " + std::to_string(index + 1) + ": an attachment in a format " +
                       std::to_string(scan.header.format_version()) + " bundle");
      }
      TVAULT_RETURN_IF_ERROR(attachment_scan.Take(msg, index + 1));
      continue;
    }
    if (!msg.has_record()) return Damaged("message " + std::to_string(index + 1) + " is empty");
    if (attachment_scan.started()) {
      return Damaged("a record after the attachments (reordered bundle)");
    }
    const v1::BundleRecord& r = msg.record();
    ++records;
    TVAULT_ASSIGN_OR_RETURN(std::string hash, CheckRecord(r, records, &body));
    if (r.tombstone()) ++tombstones;
    // Strictly increasing (id, version, hash, parent): reordered or repeated records are
    // refused.
    if (records > 1 && !RecordKeyLess(last_id, last_version, last_hash, last_parent, r.id(),
                                      r.version(), hash, r.parent_hash())) {
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
    last_parent = r.parent_hash();
    if (on_record) {
      TVAULT_RETURN_IF_ERROR(on_record(r, hash, r.tombstone() ? nullptr : &body));
    }
    if (progress && records % 1000 == 0) progress(phase, records, scan.header.record_versions());
  }
  plain.StopHashing();
  scan.payload_bytes = plain.hashed();
  if (prehash == BundlePrehash::kCompute) scan.prehash = plain.Prehash();
  TVAULT_ASSIGN_OR_RETURN(scan.payload_sha256, plain.Sha256());
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
