// Checking the attachments of a bundle as they stream past.
#include "bundle/attachments.h"
#include "store/attachment_store.h"
#include "tvault/schema.h"
#include "util/clock.h"

namespace tvault::internal {
namespace {

bool IsHex32(const std::string& s) {
  return s.size() == 32 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

bool IsPrintableAscii(const std::string& s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

bool IsCaption(const std::string& s) {
  if (s.size() > kMaxCaptionBytes) return false;
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\n' && c != '\t') return false;
  }
  return true;
}

// The fields of a bundled attachment as the store keeps them (hex hashes), for the custody
// statement.
AttachmentInfo InfoOf(const v1::BundleAttachment& a) {
  AttachmentInfo i;
  i.id = a.id();
  i.record_id = a.record_id();
  i.kind = a.kind();
  i.media_type = a.media_type();
  i.stripped = a.stripped();
  i.received_size = a.received_size();
  i.received_sha256 = ToHex(a.received_hash());
  i.stored_size = a.stored_size();
  i.stored_sha256 = ToHex(a.stored_hash());
  i.sealed_size = a.sealed_size();
  i.sealed_sha256 = ToHex(a.sealed_hash());
  i.added_at = a.added_at();
  return i;
}

}  // namespace

Status AttachmentScan::Begin(const v1::BundleAttachment& a, uint64_t n) {
  // The id is named only once it is known to be hex: a hostile one never reaches a terminal.
  if (!IsHex32(a.id())) {
    return Damaged("message " + std::to_string(n) + ": an attachment id is not 32 hex digits");
  }
  auto fail = [&](const std::string& what) {
    return Damaged("attachment " + a.id() + ": " + what);
  };
  if (!last_id_.empty() && a.id() <= last_id_) return fail("out of order (reordered bundle)");
  last_id_ = a.id();
  if (!IsHex32(a.record_id())) return fail("its record id is not 32 hex digits");
  if (!IsAttachmentKind(a.kind())) return fail("unknown kind");
  if (!IsPrintableAscii(a.media_type(), 64)) return fail("malformed media type");
  if (!IsCaption(a.caption())) return fail("malformed caption");
  if (a.received_hash().size() != kSha256Bytes || a.stored_hash().size() != kSha256Bytes ||
      a.sealed_hash().size() != kSha256Bytes) {
    return fail("a hash is not 32 bytes");
  }
  if (!IsPrintableAscii(a.added_at(), 64)) return fail("malformed time");
  if (a.detached() ? (a.detach_reason().empty() || a.detach_reason().size() > kMaxShortFieldBytes ||
                      !IsPrintableAscii(a.detached_at(), 64))
                   : (!a.detach_reason().empty() || !a.detached_at().empty())) {
    return fail("malformed detach");
  }
  if (!a.stripped() && (a.received_size() != a.stored_size() ||
                        a.received_hash() != a.stored_hash())) {
    return fail("kept as received, yet its hashes differ");
  }
  if (a.custody() != CustodyStatement(InfoOf(a))) {
    return fail("its custody statement does not match its fields");
  }
  if (a.sealed_size() == 0 || a.sealed_size() > limits_.max_attachment_bytes) {
    return fail("its sealed file is " + std::to_string(a.sealed_size()) +
                " bytes, outside this import's limit of " +
                std::to_string(limits_.max_attachment_bytes) + " bytes for one attachment");
  }
  if (a.chunks() != 0) {
    const uint64_t expect = (a.sealed_size() + kAttachmentChunkBytes - 1) / kAttachmentChunkBytes;
    if (a.chunks() != expect) return fail("its chunk count does not fit its size");
    total_bytes_ += a.sealed_size();
    if (total_bytes_ > limits_.max_total_attachment_bytes) {
      return Damaged("the bundle's attachments exceed this import's limit of " +
                     std::to_string(limits_.max_total_attachment_bytes) + " bytes");
    }
  }
  current_ = a;
  chunks_seen_ = bytes_seen_ = 0;
  ++count_;
  if (handler_ != nullptr && handler_->begin) TVAULT_RETURN_IF_ERROR(handler_->begin(current_));
  if (a.chunks() == 0) return EndCurrent();
  return Status::Ok();
}

Status AttachmentScan::EndCurrent() {
  if (current_.chunks() != 0) {
    TVAULT_ASSIGN_OR_RETURN(std::string digest, sha_.Final());
    if (bytes_seen_ != current_.sealed_size() || digest != current_.sealed_hash()) {
      return Damaged("attachment " + current_.id() + ": its file does not match its SHA-256");
    }
  }
  if (handler_ != nullptr && handler_->end) TVAULT_RETURN_IF_ERROR(handler_->end(current_));
  current_.Clear();
  return Status::Ok();
}

Status AttachmentScan::Take(const v1::BundleMessage& msg, uint64_t n) {
  const bool open = !current_.id().empty();
  if (msg.has_attachment()) {
    if (open) return Damaged("attachment " + current_.id() + " is missing chunks (truncated)");
    return Begin(msg.attachment(), n);
  }
  if (!open) return Damaged("message " + std::to_string(n) + ": a chunk outside an attachment");
  const std::string& data = msg.attachment_chunk().data();
  const uint64_t remaining = current_.sealed_size() - bytes_seen_;
  const uint64_t expect = remaining < kAttachmentChunkBytes ? remaining : kAttachmentChunkBytes;
  if (data.size() != expect) {
    return Damaged("attachment " + current_.id() + ": chunk " + std::to_string(chunks_seen_) +
                   " has the wrong size");
  }
  sha_.Update(data);
  if (handler_ != nullptr && handler_->chunk) {
    TVAULT_RETURN_IF_ERROR(handler_->chunk(current_, chunks_seen_, data));
  }
  ++chunks_seen_;
  bytes_seen_ += data.size();
  if (chunks_seen_ == current_.chunks()) return EndCurrent();
  return Status::Ok();
}

Status AttachmentScan::Finish(const v1::BundleHeader& h, const v1::BundleTrailer& t) {
  if (!current_.id().empty()) {
    return Damaged("attachment " + current_.id() + " is missing chunks (truncated)");
  }
  if (h.attachments() != count_ || t.attachment_count() != count_ ||
      h.attachment_bytes() != total_bytes_) {
    return Damaged("attachment counts do not match (header " + std::to_string(h.attachments()) +
                   ", trailer " + std::to_string(t.attachment_count()) + ", found " +
                   std::to_string(count_) + ")");
  }
  return Status::Ok();
}

}  // namespace tvault::internal
