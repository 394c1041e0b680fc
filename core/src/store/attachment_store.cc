#include "store/attachment_store.h"

#include <cstring>

#include "util/clock.h"

namespace tvault::internal {

void ReadAttachmentRow(const Stmt& st, AttachmentInfo* a, int64_t* chunks) {
  a->id = st.Text(0);
  a->record_id = st.Text(1);
  a->number = static_cast<uint32_t>(st.Int(2));
  a->kind = st.Text(3);
  a->media_type = st.Text(4);
  a->caption = st.Text(5);
  a->stripped = st.Int(6) != 0;
  a->received_size = static_cast<uint64_t>(st.Int(7));
  a->received_sha256 = ToHex(st.Blob(8));
  a->stored_size = static_cast<uint64_t>(st.Int(9));
  a->stored_sha256 = ToHex(st.Blob(10));
  a->sealed_size = static_cast<uint64_t>(st.Int(11));
  a->sealed_sha256 = ToHex(st.Blob(12));
  a->added_at = st.Text(13);
  a->custody = st.Text(14);
  a->detached = st.Int(15) != 0;
  a->detach_reason = st.Text(16);
  a->detached_at = st.Text(17);
  if (chunks != nullptr) *chunks = st.Int(18);
}

Result<AttachmentInfo> FindAttachment(Db& db, const std::string& record_id, uint32_t number,
                                      int64_t* chunks) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare(std::string("SELECT ") + kAttachmentColumns +
                                               " FROM attachments a WHERE a.record_id = ? AND "
                                               "a.number = ?"));
  st.Bind(1, record_id).Bind(2, static_cast<int64_t>(number));
  TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return NotFound("record " + record_id + " has no attachment " + std::to_string(number));
  }
  AttachmentInfo a;
  ReadAttachmentRow(st, &a, chunks);
  return a;
}

std::string CustodyStatement(const AttachmentInfo& a) {
  return "tvault attachment custody v1\n"
         "record " + a.record_id + "\n"
         "attachment " + a.id + "\n"
         "kind " + a.kind + "\n"
         "type " + a.media_type + "\n"
         "metadata " + (a.stripped ? "stripped" : "kept") + "\n"
         "received " + std::to_string(a.received_size) + " " + a.received_sha256 + "\n"
         "stored " + std::to_string(a.stored_size) + " " + a.stored_sha256 + "\n"
         "sealed " + std::to_string(a.sealed_size) + " " + a.sealed_sha256 + "\n"
         "added " + a.added_at + "\n";
}

// ---- ChunkSink ----

ChunkSink::ChunkSink(Db* db, std::string attachment_id) : db_(db), id_(std::move(attachment_id)) {
  buf_.reserve(kAttachmentChunkBytes);
}

Status ChunkSink::FlushRow() {
  if (!status_.ok()) return status_;
  sha_.Update(buf_);
  size_ += buf_.size();
  Result<Stmt> st = db_->Prepare(
      "INSERT INTO attachment_chunks(attachment_id, seq, data) VALUES(?, ?, ?)");
  status_ = st.ok() ? st->Bind(1, id_).Bind(2, seq_).BindBlob(3, buf_).Run() : st.status();
  ++seq_;
  buf_.clear();
  return status_;
}

ChunkSink::int_type ChunkSink::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const char ch = traits_type::to_char_type(c);
  return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
}

std::streamsize ChunkSink::xsputn(const char* s, std::streamsize n) {
  std::streamsize done = 0;
  while (done < n) {
    if (!status_.ok()) return done;
    const size_t take = std::min(static_cast<size_t>(n - done), kAttachmentChunkBytes - buf_.size());
    buf_.append(s + done, take);
    done += static_cast<std::streamsize>(take);
    if (buf_.size() == kAttachmentChunkBytes && !FlushRow().ok()) return done;
  }
  return done;
}

Status ChunkSink::Finish() {
  if (!buf_.empty() || seq_ == 0) TVAULT_RETURN_IF_ERROR(FlushRow());
  return status_;
}

// ---- ChunkSource ----

ChunkSource::ChunkSource(Db* db, std::string attachment_id, int64_t expect_chunks)
    : db_(db), id_(std::move(attachment_id)), chunks_(expect_chunks) {}

ChunkSource::int_type ChunkSource::underflow() {
  if (gptr() != egptr()) return traits_type::to_int_type(*gptr());
  if (!status_.ok() || next_ >= chunks_) return traits_type::eof();
  Result<Stmt> st =
      db_->Prepare("SELECT data FROM attachment_chunks WHERE attachment_id = ? AND seq = ?");
  if (!st.ok()) {
    status_ = st.status();
    return traits_type::eof();
  }
  st->Bind(1, id_).Bind(2, next_);
  Result<bool> row = st->Step();
  if (!row.ok() || !*row) {
    status_ = row.ok() ? Damaged(std::string(kDamagedMessage) + " (attachment " + id_ +
                                 " is missing its row " + std::to_string(next_) + ")")
                       : row.status();
    return traits_type::eof();
  }
  row_ = st->Blob(0);
  ++next_;
  if (row_.empty()) return traits_type::eof();
  setg(row_.data(), row_.data(), row_.data() + row_.size());
  return traits_type::to_int_type(*gptr());
}

}  // namespace tvault::internal
