// Attachments leaving a store in a bundle, and arriving in another.
#include <algorithm>
#include <cstring>
#include <istream>

#include "attach/media.h"
#include "bundle/attachments.h"
#include "crypto/age.h"
#include "store/attachment_store.h"
#include "store/search_index.h"
#include "util/clock.h"

namespace tvault::internal {

Result<std::vector<ExportedAttachment>> SelectAttachmentsForExport(Db& db, bool all,
                                                                   uint64_t max_bytes,
                                                                   uint64_t* left) {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st,
      db.Prepare("SELECT a.id, a.sealed_size, ?1 OR NOT EXISTS (SELECT 1 FROM "
                 "exported_attachments e WHERE e.id = a.id) FROM attachments a WHERE ?1 OR NOT "
                 "EXISTS (SELECT 1 FROM exported_attachments e WHERE e.id = a.id AND "
                 "e.detached = a.detached) ORDER BY a.id"));
  st.Bind(1, static_cast<int64_t>(all ? 1 : 0));
  std::vector<ExportedAttachment> out;
  uint64_t total = 0;
  *left = 0;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ExportedAttachment e;
    e.id = st.Text(0);
    e.sealed_size = static_cast<uint64_t>(st.Int(1));
    e.content = st.Int(2) != 0;
    if (e.content) {
      if (e.sealed_size > max_bytes - total) {
        ++*left;
        continue;
      }
      total += e.sealed_size;
    }
    out.push_back(std::move(e));
  }
  return out;
}

Status WriteAttachments(Db& db, const std::vector<ExportedAttachment>& selected,
                        const std::function<Status(const v1::BundleMessage&)>& write) {
  TVAULT_ASSIGN_OR_RETURN(Stmt st, db.Prepare(std::string("SELECT ") + kAttachmentColumns +
                                               ", a.received_hash, a.stored_hash, "
                                               "a.sealed_hash FROM attachments a WHERE a.id = ?"));
  v1::BundleMessage msg;
  for (const ExportedAttachment& e : selected) {
    st.Reset();
    st.Bind(1, e.id);
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Internal("export: an attachment vanished");
    AttachmentInfo info;
    int64_t chunks = 0;
    ReadAttachmentRow(st, &info, &chunks);
    msg.Clear();
    v1::BundleAttachment* a = msg.mutable_attachment();
    a->set_id(info.id);
    a->set_record_id(info.record_id);
    a->set_kind(info.kind);
    a->set_media_type(info.media_type);
    a->set_caption(info.caption);
    a->set_stripped(info.stripped);
    a->set_received_size(info.received_size);
    a->set_received_hash(st.Blob(19));
    a->set_stored_size(info.stored_size);
    a->set_stored_hash(st.Blob(20));
    a->set_sealed_size(info.sealed_size);
    a->set_sealed_hash(st.Blob(21));
    a->set_added_at(info.added_at);
    a->set_custody(info.custody);
    a->set_detached(info.detached);
    a->set_detach_reason(info.detach_reason);
    a->set_detached_at(info.detached_at);
    a->set_chunks(e.content ? static_cast<uint64_t>(chunks) : 0);
    TVAULT_RETURN_IF_ERROR(write(msg));
    if (!e.content) continue;
    TVAULT_ASSIGN_OR_RETURN(
        Stmt rows, db.Prepare("SELECT data FROM attachment_chunks WHERE attachment_id = ? "
                              "ORDER BY seq"));
    rows.Bind(1, e.id);
    int64_t n = 0;
    for (;; ++n) {
      TVAULT_ASSIGN_OR_RETURN(bool more, rows.Step());
      if (!more) break;
      msg.Clear();
      msg.mutable_attachment_chunk()->set_data(rows.Blob(0));
      TVAULT_RETURN_IF_ERROR(write(msg));
    }
    if (n != chunks) {
      return Damaged(std::string(kDamagedMessage) + " (attachment " + e.id + " is missing rows)");
    }
  }
  return Status::Ok();
}

Status MarkAttachmentsExported(Db& db, const std::vector<ExportedAttachment>& selected) {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, db.Prepare("INSERT OR IGNORE INTO exported_attachments(id, detached) SELECT id, "
                          "detached FROM attachments WHERE id = ?"));
  for (const ExportedAttachment& e : selected) {
    st.Reset();
    st.Bind(1, e.id);
    TVAULT_RETURN_IF_ERROR(st.Run());
  }
  return Status::Ok();
}

// ---- AttachmentImporter ----

BundleAttachmentHandler AttachmentImporter::Handler() {
  BundleAttachmentHandler h;
  h.begin = [this](const v1::BundleAttachment& a) { return Begin(a); };
  h.chunk = [this](const v1::BundleAttachment& a, uint64_t seq, std::string_view data) {
    return Chunk(a, seq, data);
  };
  h.end = [this](const v1::BundleAttachment& a) { return End(a); };
  return h;
}

Status AttachmentImporter::Begin(const v1::BundleAttachment& a) {
  inserting_ = false;
  TVAULT_ASSIGN_OR_RETURN(Stmt st, db_->Prepare("SELECT detached FROM attachments WHERE id = ?"));
  st.Bind(1, a.id());
  TVAULT_ASSIGN_OR_RETURN(bool known, st.Step());
  if (known) {
    const bool detached_here = st.Int(0) != 0;
    st.Reset();
    if (a.detached() && !detached_here) {
      TVAULT_ASSIGN_OR_RETURN(
          Stmt up, db_->Prepare("UPDATE attachments SET detached = 1, detach_reason = ?, "
                                "detached_at = ? WHERE id = ?"));
      TVAULT_RETURN_IF_ERROR(
          up.Bind(1, a.detach_reason()).Bind(2, a.detached_at()).Bind(3, a.id()).Run());
      ++detached_;
      TVAULT_RETURN_IF_ERROR(RefreshSearchCaptions(*db_, a.record_id()));
    }
    return Status::Ok();
  }
  if (a.chunks() == 0) {
    ++skipped_;  // its file went in an earlier bundle that this store has not imported
    return Status::Ok();
  }
  inserting_ = true;
  return Status::Ok();
}

Status AttachmentImporter::Chunk(const v1::BundleAttachment& a, uint64_t seq,
                                 std::string_view data) {
  if (!inserting_) return Status::Ok();
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, db_->Prepare("INSERT INTO attachment_chunks(attachment_id, seq, data) VALUES(?, "
                            "?, ?)"));
  return st.Bind(1, a.id()).Bind(2, static_cast<int64_t>(seq)).BindBlob(3, data).Run();
}

Status AttachmentImporter::End(const v1::BundleAttachment& a) {
  if (!inserting_) return Status::Ok();
  inserting_ = false;
  TVAULT_ASSIGN_OR_RETURN(
      Stmt next, db_->Prepare("SELECT coalesce(max(number), 0) + 1 FROM attachments WHERE "
                              "record_id = ?"));
  next.Bind(1, a.record_id());
  TVAULT_ASSIGN_OR_RETURN(bool row, next.Step());
  const uint32_t number = row ? static_cast<uint32_t>(next.Int(0)) : 1;
  next.Reset();
  TVAULT_ASSIGN_OR_RETURN(
      Stmt ins,
      db_->Prepare("INSERT INTO attachments(id, record_id, number, kind, media_type, caption, "
                   "stripped, received_size, received_hash, stored_size, stored_hash, "
                   "sealed_size, sealed_hash, chunks, added_at, custody, detached, "
                   "detach_reason, detached_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                   "?, ?, ?, ?, ?)"));
  TVAULT_RETURN_IF_ERROR(ins.Bind(1, a.id())
                             .Bind(2, a.record_id())
                             .Bind(3, static_cast<int64_t>(number))
                             .Bind(4, a.kind())
                             .Bind(5, a.media_type())
                             .Bind(6, a.caption())
                             .Bind(7, static_cast<int64_t>(a.stripped() ? 1 : 0))
                             .Bind(8, static_cast<int64_t>(a.received_size()))
                             .BindBlob(9, a.received_hash())
                             .Bind(10, static_cast<int64_t>(a.stored_size()))
                             .BindBlob(11, a.stored_hash())
                             .Bind(12, static_cast<int64_t>(a.sealed_size()))
                             .BindBlob(13, a.sealed_hash())
                             .Bind(14, static_cast<int64_t>(a.chunks()))
                             .Bind(15, a.added_at())
                             .Bind(16, a.custody())
                             .Bind(17, static_cast<int64_t>(a.detached() ? 1 : 0))
                             .Bind(18, a.detach_reason())
                             .Bind(19, a.detached_at())
                             .Run());
  // The sealed file matched its SHA-256; now its plaintext must match the stored size and
  // SHA-256 the custody statement gives (one age chunk in memory).
  ChunkSource source(db_, a.id(), static_cast<int64_t>(a.chunks()));
  std::istream in(&source);
  const std::string where = "attachment " + a.id();
  Result<std::unique_ptr<AgeReader>> reader = AgeReader::Open(*org_, &in);
  if (!reader.ok()) return reader.status().WithContext(where);
  SecretBytes buf(kAgeChunkSize);
  if (!buf.valid()) return Internal("cannot allocate secure memory");
  Sha256Hasher hash;
  uint64_t size = 0;
  // The first bytes of the plaintext, for its media type (not secret beyond the type itself).
  SecretBytes head(kSniffBytes);
  if (!head.valid()) return Internal("cannot allocate secure memory");
  size_t head_len = 0;
  for (;;) {
    Result<size_t> got = (*reader)->Read(reinterpret_cast<char*>(buf.data()), buf.size());
    if (!got.ok()) return Damaged(where + ": " + got.status().message());
    if (*got == 0) break;
    hash.Update(std::string_view(reinterpret_cast<const char*>(buf.data()), *got));
    if (head_len < kSniffBytes) {
      const size_t take = std::min(kSniffBytes - head_len, *got);
      std::memcpy(head.data() + head_len, buf.data(), take);
      head_len += take;
    }
    size += *got;
  }
  TVAULT_RETURN_IF_ERROR(source.status());
  TVAULT_ASSIGN_OR_RETURN(std::string digest, hash.Final());
  if (size != a.stored_size() || digest != a.stored_hash()) {
    return Damaged(where + ": its decrypted file does not match its stored SHA-256");
  }
  // The metadata filter, as attach applied it: the file is of the type it is recorded as (sniffed
  // from its bytes, as attach does), and one recorded as stripped is of a type whose metadata
  // tvault removes. A monitor's device cannot slip an unstripped video past as a stripped image.
  const MediaType type = SniffMediaType(
      std::string_view(reinterpret_cast<const char*>(head.data()), head_len));
  if (type.name != a.media_type()) {
    return Damaged(where + ": its decrypted file is not of its recorded media type");
  }
  if (a.stripped() && !type.strippable) {
    return Damaged(where + ": recorded as stripped of metadata, yet of a type tvault cannot strip");
  }
  TVAULT_RETURN_IF_ERROR(RefreshSearchCaptions(*db_, a.record_id()));
  ++added_;
  added_list_.push_back({a.record_id(), number, a.custody()});
  return Status::Ok();
}

}  // namespace tvault::internal
