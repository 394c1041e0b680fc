// Attachments inside the store (docs/formats.md, "Database schema, version 10"): the rows of
// `attachments`, and the age file of each as rows of `attachment_chunks`, written and read as
// streams so that memory stays at one chunk whatever the file's size.
#ifndef TVAULT_STORE_ATTACHMENT_STORE_H_
#define TVAULT_STORE_ATTACHMENT_STORE_H_

#include <streambuf>
#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "store/db.h"
#include "tvault/attachments.h"

namespace tvault::internal {

// The columns ReadAttachmentRow reads, in order, from columns 0 to 18 of a row of
// `attachments a`.
constexpr char kAttachmentColumns[] =
    "a.id, a.record_id, a.number, a.kind, a.media_type, a.caption, a.stripped, "
    "a.received_size, a.received_hash, a.stored_size, a.stored_hash, a.sealed_size, "
    "a.sealed_hash, a.added_at, a.custody, a.detached, a.detach_reason, a.detached_at, a.chunks";
void ReadAttachmentRow(const Stmt& st, AttachmentInfo* info, int64_t* chunks);

// Looks up attachment `number` of record `record_id`. kNotFound names both.
Result<AttachmentInfo> FindAttachment(Db& db, const std::string& record_id, uint32_t number,
                                      int64_t* chunks);

// The chain-of-custody statement of an attachment (docs/formats.md): fixed lines of codes,
// sizes, hex hashes and the time, never the caption or a file name.
std::string CustodyStatement(const AttachmentInfo& a);

// An output stream buffer that writes what it is given as rows (attachment_id, seq, data) of
// at most kAttachmentChunkBytes, and hashes it. Errors are kept (status()) and make the stream
// fail.
class ChunkSink : public std::streambuf {
 public:
  ChunkSink(Db* db, std::string attachment_id);
  // Writes the last, partial row. Then size(), chunks() and status() are final.
  Status Finish();
  Result<std::string> Sha256() { return sha_.Final(); }
  uint64_t size() const { return size_; }
  int64_t chunks() const { return seq_; }
  const Status& status() const { return status_; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;

 private:
  Status FlushRow();

  Db* db_;
  std::string id_;
  std::string buf_;
  int64_t seq_ = 0;
  uint64_t size_ = 0;
  Sha256Hasher sha_;
  Status status_;
};

// An input stream buffer over the rows of one attachment, in order, one row in memory.
// `expect_chunks` rows must exist; a missing one is an error (status(), and the stream ends).
class ChunkSource : public std::streambuf {
 public:
  ChunkSource(Db* db, std::string attachment_id, int64_t expect_chunks);
  const Status& status() const { return status_; }

 protected:
  int_type underflow() override;

 private:
  Db* db_;
  std::string id_;
  int64_t chunks_;
  int64_t next_ = 0;
  std::string row_;
  Status status_;
};

}  // namespace tvault::internal

#endif  // TVAULT_STORE_ATTACHMENT_STORE_H_
