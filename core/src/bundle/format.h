// The bundle file, below the public API (docs/formats.md, "Bundle").
//
//   bundle file    = age v1, one X25519 recipient (the organisation key)
//   age plaintext  = payload || signature || footer
//   payload        = (varint length || serialized tvault.v1.BundleMessage)*: one header, the
//                    records sorted by (id, version, content hash), the attachments sorted
//                    by id, each followed by the chunks of its age file (format 3), one trailer
//                    (with the facilities the testimonies refer to, format 4)
//   signature      = a minisign signature file (prehashed "ED") of the payload
//   footer         = 32 ASCII bytes: "TVSIG " <payload length, 20 digits> " "
//                    <signature length, 4 digits> "\n"
#ifndef TVAULT_BUNDLE_FORMAT_H_
#define TVAULT_BUNDLE_FORMAT_H_

#include <cstdint>
#include <functional>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bundle/attachments.h"
#include "crypto/age.h"
#include "tvault/bundle.h"
#include "tvault/keys.h"
#include "tvault/signing.h"
#include "tvault/v1/bundle.pb.h"

namespace tvault::internal {

constexpr char kBundleFooterMagic[] = "TVSIG ";            // 6 bytes, no NUL
constexpr size_t kBundleFooterSize = 32;
constexpr size_t kBundleFooterPayloadDigits = 20;
constexpr size_t kBundleFooterSignatureDigits = 4;
// Bounds that keep a hostile bundle from exhausting memory or time.
constexpr size_t kBundleMaxMessageBytes = 4u << 20;        // one record version
constexpr size_t kBundleMaxSignatureBytes = 4096;
constexpr uint32_t kBundleMaxVersionsPerRecord = 10000;
// A bundle carries consistency proofs from the checkpoints of at most this many earlier
// exports of its store (the latest ones), so that a dropped bundle does not break the chain.
constexpr int kMaxBundleLogProofs = 16;
constexpr char kBundleTrustedCommentPrefix[] = "tvault bundle v4";
// The oldest format a reader accepts: 2 (format 3 adds attachments, format 4 the trailer's
// facilities, and nothing else).
constexpr uint32_t kMinBundleFormatVersion = 2;
// The first format that carries attachments; an older header followed by one is damaged.
constexpr uint32_t kBundleFormatAttachments = 3;
// The first format whose trailer carries facilities; an older trailer with some is damaged.
constexpr uint32_t kBundleFormatFacilities = 4;

// Appends `v` as a protobuf base-128 varint.
void AppendVarint(std::string* out, uint64_t v);

// The footer for a payload and signature of these lengths.
std::string BundleFooter(uint64_t payload_bytes, size_t signature_bytes);

// What a bundle holds once read whole and checked for structure (not yet for trust).
struct BundleScan {
  v1::BundleHeader header;
  v1::BundleTrailer trailer;
  std::string signature;        // the minisign signature file text
  MinisignPrehash prehash{};    // BLAKE2b-512 of the payload (zero when skipped)
  std::string payload_sha256;   // raw, for the audit log
  uint64_t payload_bytes = 0;
};

// Called for each record in payload order with its content hash (SHA-256 of body, or of
// reason for a tombstone) and its body as parsed by the checks (null for a tombstone; valid
// during the call only, and the callee may take its content). A non-OK status stops the scan.
using BundleRecordFn = std::function<Status(const v1::BundleRecord&, const std::string& hash,
                                            v1::Testimony* body)>;

// Whether a scan computes the minisign prehash of the payload, which checking the signature
// needs. A scan that only has to show that it read the payload an earlier, verified scan read
// compares the SHA-256 of the payload instead, which every scan computes, and skips it.
enum class BundlePrehash { kCompute, kSkip };

// Where ScanBundlePlaintext reads the plaintext: copies up to `n` bytes into `buf` and returns
// how many, 0 (with n > 0) only at the authenticated end of the plaintext. An AgeReader's Read.
using BundlePlainSource = std::function<Result<size_t>(char* buf, size_t n)>;

// Decrypts and reads the whole bundle at `path`, streaming (memory is one chunk plus one
// message), checking everything but trust: the age layer, the header's recipient (the key of
// `org`, which the signature covers), message framing, header first and
// trailer last, records in strictly increasing (id, version, hash) order and well formed,
// the counts, the trailer's checkpoint against its verifier key, the signature and the footer,
// and nothing after. `on_record` and `progress` may be empty. Errors name what failed.
// Attachments (format 3) are checked against `limits` and handed to `attachments` (if not
// null) as they stream past.
Result<BundleScan> ScanBundle(const std::string& path, const OrgSecretKey& org,
                              const BundleRecordFn& on_record, const BundleProgress& progress,
                              const char* phase, BundlePrehash prehash = BundlePrehash::kCompute,
                              const BundleLimits& limits = BundleLimits(),
                              const BundleAttachmentHandler* attachments = nullptr);

// ScanBundle after the age layer: every check of ScanBundle on the plaintext that `source`
// yields. Exposed for the fuzz target and the tests, which feed plaintext directly.
Result<BundleScan> ScanBundlePlaintext(const BundlePlainSource& source,
                                       const BundleRecordFn& on_record,
                                       const BundleProgress& progress, const char* phase,
                                       BundlePrehash prehash = BundlePrehash::kCompute,
                                       const BundleLimits& limits = BundleLimits(),
                                       const BundleAttachmentHandler* attachments = nullptr);

// Finds the trusted signer of `scan` among `trusted` and verifies the signature. kInvalidArgument
// when the signer is not trusted; kDamaged when the signature does not match the payload.
Result<TrustedSigner> VerifyBundleSigner(const BundleScan& scan,
                                         const std::vector<TrustedSigner>& trusted);

}  // namespace tvault::internal

#endif  // TVAULT_BUNDLE_FORMAT_H_
