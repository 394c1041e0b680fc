// Store::OpenAttachment and Store::ExportSealedAttachment: an attachment leaves the store
// either opened with the organisation secret (logged first, as a reveal) or as the age file it
// is stored as, which only the organisation secret opens.
#include <sodium.h>

#include <istream>

#include "crypto/age.h"
#include "store/attachment_store.h"
#include "store/store_impl.h"
#include "util/clock.h"

namespace tvault {

Result<AttachmentInfo> Store::OpenAttachment(const std::string& record_id, uint32_t number,
                                             const OrgSecretKey& org,
                                             const AttachmentSink& sink) {
  TVAULT_RETURN_IF_ERROR(InitCrypto());
  TVAULT_RETURN_IF_ERROR(impl_->RequireOrgSecret(org));
  AttachmentInfo a;
  int64_t chunks = 0;
  // The entry commits before a byte of the attachment is decrypted.
  TVAULT_RETURN_IF_ERROR(impl_->Mutate([&](internal::LogWriter& log) -> Status {
    TVAULT_ASSIGN_OR_RETURN(a, internal::FindAttachment(impl_->db, record_id, number, &chunks));
    return log.Append(impl_->Actor(), "open-attachment", record_id, number,
                      internal::Sha256(a.custody));
  }));
  internal::ChunkSource source(&impl_->db, a.id, chunks);
  std::istream in(&source);
  const std::string where = "attachment " + std::to_string(number) + " of record " + record_id;
  auto damaged = [&](const Status& s) -> Status {
    if (!source.status().ok()) return source.status();
    return Damaged(where + ": " + s.message());
  };
  Result<std::unique_ptr<internal::AgeReader>> reader = internal::AgeReader::Open(org, &in);
  if (!reader.ok()) return damaged(reader.status());
  SecretBytes buf(internal::kAgeChunkSize);
  if (!buf.valid()) return Internal("cannot allocate secure memory");
  internal::Sha256Hasher hash;
  uint64_t size = 0;
  for (;;) {
    Result<size_t> got = (*reader)->Read(reinterpret_cast<char*>(buf.data()), buf.size());
    if (!got.ok()) return damaged(got.status());
    if (*got == 0) break;
    const std::string_view piece(reinterpret_cast<const char*>(buf.data()), *got);
    hash.Update(piece);
    size += *got;
    TVAULT_RETURN_IF_ERROR(sink(piece));
  }
  TVAULT_ASSIGN_OR_RETURN(std::string digest, hash.Final());
  if (size != a.stored_size || internal::ToHex(digest) != a.stored_sha256) {
    return Damaged(where + ": the opened file is not the one stored (size or SHA-256 differ)");
  }
  return a;
}

Result<AttachmentInfo> Store::ExportSealedAttachment(const std::string& record_id,
                                                     uint32_t number,
                                                     const AttachmentSink& sink) {
  int64_t chunks = 0;
  TVAULT_ASSIGN_OR_RETURN(AttachmentInfo a,
                          internal::FindAttachment(impl_->db, record_id, number, &chunks));
  internal::ChunkSource source(&impl_->db, a.id, chunks);
  internal::Sha256Hasher hash;
  uint64_t size = 0;
  std::string buf(internal::kAgeChunkSize, '\0');
  std::istream in(&source);
  for (;;) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const size_t got = static_cast<size_t>(in.gcount());
    if (got == 0) break;
    const std::string_view piece(buf.data(), got);
    hash.Update(piece);
    size += got;
    TVAULT_RETURN_IF_ERROR(sink(piece));
  }
  TVAULT_RETURN_IF_ERROR(source.status());
  TVAULT_ASSIGN_OR_RETURN(std::string digest, hash.Final());
  if (size != a.sealed_size || internal::ToHex(digest) != a.sealed_sha256) {
    return Damaged(std::string(internal::kDamagedMessage) + " (attachment " +
                   std::to_string(number) + " of record " + record_id +
                   ": its sealed bytes do not match their SHA-256)");
  }
  return a;
}

}  // namespace tvault
