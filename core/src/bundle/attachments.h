// Attachments in bundles (format 3; docs/formats.md, "Bundle"): after the records, each
// attachment's BundleAttachment message, then the BundleAttachmentChunk messages of its age
// file. Checked as they stream past (one chunk in memory), written by export, applied by import.
#ifndef TVAULT_BUNDLE_ATTACHMENTS_H_
#define TVAULT_BUNDLE_ATTACHMENTS_H_

#include <functional>
#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "store/db.h"
#include "tvault/bundle.h"
#include "tvault/keys.h"
#include "tvault/v1/bundle.pb.h"

namespace tvault::internal {

// What a scan hands over for the attachments of a bundle, each called in payload order:
// `begin` with an attachment's checked message, `chunk` with each of its chunks (seq from 0),
// `end` once its chunks were all seen and their SHA-256 matched sealed_hash. Any may be empty;
// an error stops the scan.
struct BundleAttachmentHandler {
  std::function<Status(const v1::BundleAttachment&)> begin;
  std::function<Status(const v1::BundleAttachment&, uint64_t seq, std::string_view data)> chunk;
  std::function<Status(const v1::BundleAttachment&)> end;
};

// Checks the attachment messages of one payload, in order.
class AttachmentScan {
 public:
  AttachmentScan(const BundleLimits& limits, const BundleAttachmentHandler* handler)
      : limits_(limits), handler_(handler) {}

  bool started() const { return count_ > 0; }
  // `msg` holds an attachment or an attachment chunk; `n` is its message number (for errors).
  Status Take(const v1::BundleMessage& msg, uint64_t n);
  // At the trailer: the last attachment is complete and the counts match header and trailer.
  Status Finish(const v1::BundleHeader& h, const v1::BundleTrailer& t);

 private:
  Status Begin(const v1::BundleAttachment& a, uint64_t n);
  Status EndCurrent();

  const BundleLimits limits_;
  const BundleAttachmentHandler* handler_;
  v1::BundleAttachment current_;
  uint64_t count_ = 0, chunks_seen_ = 0, bytes_seen_ = 0, total_bytes_ = 0;
  Sha256Hasher sha_;
  std::string last_id_;
};

// One attachment a bundle will carry: its id, and whether its age file goes too.
struct ExportedAttachment {
  std::string id;
  bool content = false;
  uint64_t sealed_size = 0;
};

// The attachments an export carries, by id: every one whose current state (id, detached) no
// earlier bundle carried (all of them with `all`); the file goes with it unless an earlier
// bundle carried it (always with `all`). Files are taken while their sum stays within
// `max_bytes`; an attachment whose file does not fit is left for a later bundle and counted
// in `*left`.
Result<std::vector<ExportedAttachment>> SelectAttachmentsForExport(Db& db, bool all,
                                                                   uint64_t max_bytes,
                                                                   uint64_t* left);

// Writes each selected attachment and its chunks through `write`, one chunk in memory.
Status WriteAttachments(Db& db, const std::vector<ExportedAttachment>& selected,
                        const std::function<Status(const v1::BundleMessage&)>& write);

// Records the selected attachments' states as exported.
Status MarkAttachmentsExported(Db& db, const std::vector<ExportedAttachment>& selected);

// Applies the attachments of a verified bundle inside the import's transaction: a new one is
// stored with the next free number of its record, then opened with `org` to check the
// stored size and SHA-256 of its plaintext; a known one takes a detach it did not have.
class AttachmentImporter {
 public:
  AttachmentImporter(Db* db, const OrgSecretKey* org) : db_(db), org_(org) {}
  BundleAttachmentHandler Handler();
  uint64_t added() const { return added_; }
  uint64_t detached() const { return detached_; }
  uint64_t skipped() const { return skipped_; }
  // The custody statements of the attachments added, for the audit log: (record id, number,
  // statement).
  struct Added {
    std::string record_id;
    uint32_t number;
    std::string custody;
  };
  const std::vector<Added>& added_list() const { return added_list_; }

 private:
  Status Begin(const v1::BundleAttachment& a);
  Status Chunk(const v1::BundleAttachment& a, uint64_t seq, std::string_view data);
  Status End(const v1::BundleAttachment& a);

  Db* db_;
  const OrgSecretKey* org_;
  bool inserting_ = false;
  uint64_t added_ = 0, detached_ = 0, skipped_ = 0;
  std::vector<Added> added_list_;
};

}  // namespace tvault::internal

#endif  // TVAULT_BUNDLE_ATTACHMENTS_H_
