// Store::Attach, Attachments and Detach: evidence files are stripped of their metadata (by
// default), sealed to the organisation key as age files streamed into the store, and logged
// with their chain-of-custody statement; the device that attached one cannot read it back.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ostream>

#include "attach/media.h"
#include "crypto/age.h"
#include "store/attachment_store.h"
#include "store/search_index.h"
#include "store/store_impl.h"
#include "util/clock.h"
#include "util/file.h"

namespace tvault {

using internal::Stmt;

bool IsAttachmentKind(const std::string& kind) {
  for (const char* k : {"photo", "medical", "audio", "document", "other"}) {
    if (kind == k) return true;
  }
  return false;
}

namespace {

// A file descriptor closed on every path.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Reads up to `n` bytes; 0 only at the end of the file.
Result<size_t> ReadSome(int fd, char* buf, size_t n, const std::string& path) {
  for (;;) {
    ssize_t got = ::read(fd, buf, n);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) return internal::ErrnoStatus(path, errno);
  }
}

Status CheckText(const std::string& what, const std::string& text, size_t max) {
  if (text.size() > max) {
    return InvalidArgument(what + ": longer than " + std::to_string(max) + " bytes");
  }
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\n' && c != '\t') {
      return InvalidArgument(what + ": control characters are not allowed");
    }
  }
  return Status::Ok();
}

// Feeds the file's bytes to `writer` and the hasher: from memory when stripped, otherwise
// straight from the file in kAgeChunkSize pieces through wiped memory.
Status SealFromFile(int fd, const std::string& path, internal::AgeWriter* writer,
                    internal::Sha256Hasher* received, uint64_t* size) {
  SecretBytes buf(internal::kAgeChunkSize);
  if (!buf.valid()) return Internal("cannot allocate secure memory");
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(size_t got,
                            ReadSome(fd, reinterpret_cast<char*>(buf.data()), buf.size(), path));
    if (got == 0) return Status::Ok();
    std::string_view piece(reinterpret_cast<const char*>(buf.data()), got);
    received->Update(piece);
    *size += got;
    TVAULT_RETURN_IF_ERROR(writer->Write(piece));
  }
}

}  // namespace

Result<AttachResult> Store::Attach(const std::string& record_id, const std::string& path,
                                   const AttachOptions& options) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  if (!options.kind.empty() && !IsAttachmentKind(options.kind)) {
    return InvalidArgument("--kind: " + options.kind +
                           " is not one of photo, medical, audio, document, other");
  }
  TVAULT_RETURN_IF_ERROR(CheckText("--caption", options.caption, kMaxCaptionBytes));
  TVAULT_ASSIGN_OR_RETURN(RecordVersion current, Get(record_id));
  if (current.info.deleted) {
    return InvalidArgument("record " + record_id + " is deleted: nothing can be attached to it");
  }

  Fd file;
  file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0) return internal::ErrnoStatus(path, errno);
  struct stat st;
  if (::fstat(file.fd, &st) != 0) return internal::ErrnoStatus(path, errno);
  if (!S_ISREG(st.st_mode)) return InvalidArgument(path + ": not a regular file");
  const uint64_t limit = std::min(options.max_bytes, kDefaultMaxAttachmentBytes);
  if (static_cast<uint64_t>(st.st_size) > limit) {
    return InvalidArgument(path + ": " + std::to_string(st.st_size) +
                           " bytes, larger than the limit of " + std::to_string(limit) +
                           " bytes for one attachment");
  }
  char head[internal::kSniffBytes];
  TVAULT_ASSIGN_OR_RETURN(size_t head_len, ReadSome(file.fd, head, sizeof head, path));
  if (head_len == 0) return InvalidArgument(path + ": the file is empty");
  const internal::MediaType type = internal::SniffMediaType(std::string_view(head, head_len));
  if (::lseek(file.fd, 0, SEEK_SET) != 0) return internal::ErrnoStatus(path, errno);

  AttachResult result;
  AttachmentInfo& a = result.info;
  a.record_id = record_id;
  a.kind = options.kind.empty() ? type.default_kind : options.kind;
  a.media_type = type.name;
  a.caption = options.caption;
  a.stripped = !options.keep_metadata;
  if (!options.keep_metadata && !type.strippable) {
    return Status(Code::kUnsupported, path + ": " + internal::KeptMetadataRisk(type) +
                                          ". Refused: give --keep-metadata to store it as it is");
  }
  if (a.stripped && static_cast<uint64_t>(st.st_size) > kMaxStripBytes) {
    return InvalidArgument(path + ": larger than " + std::to_string(kMaxStripBytes >> 20) +
                           " MiB, the most tvault strips in memory (--keep-metadata streams it "
                           "as it is)");
  }
  if (options.keep_metadata) {
    result.warnings.push_back(
        "metadata kept: " +
        (type.strippable ? "the file may hold the device, the time and the GPS position where "
                           "it was made, names and earlier versions of it"
                         : internal::KeptMetadataRisk(type)));
  }

  // The stripped copy, when there is one, is the only plaintext held whole in memory.
  std::string stripped;
  internal::Sha256Hasher received_hash;
  uint64_t received_size = 0;
  if (a.stripped) {
    TVAULT_ASSIGN_OR_RETURN(std::string original, internal::ReadFile(path, kMaxStripBytes));
    received_size = original.size();
    received_hash.Update(original);
    Result<std::string> clean = internal::StripMetadata(type, original);
    sodium_memzero(original.data(), original.size());
    if (!clean.ok()) return clean.status().WithContext(path);
    stripped = std::move(*clean);
  }

  a.id = internal::NewRecordId();
  a.added_at = internal::Rfc3339(internal::NowSeconds());
  Status s = impl_->Mutate([&](internal::LogWriter& log) -> Status {
    internal::Db& db = impl_->db;
    TVAULT_ASSIGN_OR_RETURN(
        Stmt next, db.Prepare("SELECT coalesce(max(number), 0) + 1 FROM attachments WHERE "
                              "record_id = ?"));
    next.Bind(1, record_id);
    TVAULT_ASSIGN_OR_RETURN(bool row, next.Step());
    a.number = row ? static_cast<uint32_t>(next.Int(0)) : 1;
    next.Reset();

    internal::ChunkSink sink(&db, a.id);
    std::ostream out(&sink);
    Result<std::unique_ptr<internal::AgeWriter>> writer = internal::AgeWriter::Create(impl_->org, &out);
    if (!writer.ok()) return sink.status().ok() ? writer.status() : sink.status();
    Status w;
    if (a.stripped) {
      for (size_t at = 0; at < stripped.size() && w.ok(); at += internal::kAgeChunkSize) {
        w = (*writer)->Write(std::string_view(stripped).substr(at, internal::kAgeChunkSize));
      }
    } else {
      w = SealFromFile(file.fd, path, writer->get(), &received_hash, &received_size);
    }
    if (w.ok()) w = (*writer)->Finish();
    if (!sink.status().ok()) return sink.status();
    TVAULT_RETURN_IF_ERROR(w);
    TVAULT_RETURN_IF_ERROR(sink.Finish());
    if (received_size != static_cast<uint64_t>(st.st_size)) {
      return IoError(path + ": the file changed while it was being read");
    }
    TVAULT_ASSIGN_OR_RETURN(std::string received_raw, received_hash.Final());
    TVAULT_ASSIGN_OR_RETURN(std::string sealed_raw, sink.Sha256());
    const std::string stored_raw = a.stripped ? internal::Sha256(stripped) : received_raw;
    a.received_size = received_size;
    a.received_sha256 = internal::ToHex(received_raw);
    a.stored_size = a.stripped ? stripped.size() : received_size;
    a.stored_sha256 = internal::ToHex(stored_raw);
    a.sealed_size = sink.size();
    a.sealed_sha256 = internal::ToHex(sealed_raw);
    a.custody = internal::CustodyStatement(a);
    TVAULT_ASSIGN_OR_RETURN(
        Stmt ins,
        db.Prepare("INSERT INTO attachments(id, record_id, number, kind, media_type, caption, "
                   "stripped, received_size, received_hash, stored_size, stored_hash, "
                   "sealed_size, sealed_hash, chunks, added_at, custody) VALUES(?, ?, ?, ?, ?, "
                   "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    TVAULT_RETURN_IF_ERROR(ins.Bind(1, a.id)
                               .Bind(2, a.record_id)
                               .Bind(3, static_cast<int64_t>(a.number))
                               .Bind(4, a.kind)
                               .Bind(5, a.media_type)
                               .Bind(6, a.caption)
                               .Bind(7, static_cast<int64_t>(a.stripped ? 1 : 0))
                               .Bind(8, static_cast<int64_t>(a.received_size))
                               .BindBlob(9, received_raw)
                               .Bind(10, static_cast<int64_t>(a.stored_size))
                               .BindBlob(11, stored_raw)
                               .Bind(12, static_cast<int64_t>(a.sealed_size))
                               .BindBlob(13, sealed_raw)
                               .Bind(14, sink.chunks())
                               .Bind(15, a.added_at)
                               .Bind(16, a.custody)
                               .Run());
    TVAULT_RETURN_IF_ERROR(internal::RefreshSearchCaptions(db, a.record_id));
    return log.Append(impl_->Actor(), "attach", a.record_id, a.number,
                      internal::Sha256(a.custody));
  });
  if (!stripped.empty()) sodium_memzero(stripped.data(), stripped.size());
  if (!s.ok()) return s;
  return result;
}

Result<std::vector<AttachmentInfo>> Store::Attachments(const std::string& record_id) {
  TVAULT_ASSIGN_OR_RETURN(
      Stmt st, impl_->db.Prepare(std::string("SELECT ") + internal::kAttachmentColumns +
                                 " FROM attachments a WHERE a.record_id = ? ORDER BY a.number"));
  st.Bind(1, record_id);
  std::vector<AttachmentInfo> out;
  for (;;) {
    TVAULT_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.emplace_back();
    internal::ReadAttachmentRow(st, &out.back(), nullptr);
  }
  return out;
}

Status Store::Detach(const std::string& record_id, uint32_t number, const std::string& reason) {
  if (reason.empty()) return InvalidArgument("--reason: detaching needs a reason");
  TVAULT_RETURN_IF_ERROR(CheckText("--reason", reason, kMaxShortFieldBytes));
  return impl_->Mutate([&](internal::LogWriter& log) -> Status {
    TVAULT_ASSIGN_OR_RETURN(AttachmentInfo a,
                            internal::FindAttachment(impl_->db, record_id, number, nullptr));
    if (a.detached) {
      return InvalidArgument("attachment " + std::to_string(number) + " of record " + record_id +
                             " is already detached");
    }
    TVAULT_ASSIGN_OR_RETURN(
        Stmt up, impl_->db.Prepare("UPDATE attachments SET detached = 1, detach_reason = ?, "
                                   "detached_at = ? WHERE id = ?"));
    TVAULT_RETURN_IF_ERROR(
        up.Bind(1, reason).Bind(2, internal::Rfc3339(internal::NowSeconds())).Bind(3, a.id).Run());
    TVAULT_RETURN_IF_ERROR(internal::RefreshSearchCaptions(impl_->db, record_id));
    return log.Append(impl_->Actor(), "detach", record_id, number, internal::Sha256(reason));
  });
}

}  // namespace tvault
