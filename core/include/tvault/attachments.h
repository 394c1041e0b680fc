// Attachments: evidence files (injury photos, medical reports, recordings) kept with a
// testimony.
//
// An attachment is write-only on the device that holds the store, like an identity: its
// metadata is stripped (by default), then it is encrypted to the organisation key in the age
// v1 format and stored inside the encrypted store in rows of kAttachmentChunkBytes, so a large
// file never sits whole in memory. Only the organisation secret opens it again, and every
// opening is logged before a byte is written. The Store methods are declared in
// tvault/store.h; the storage and the chain-of-custody statement: docs/formats.md
// ("Database schema, version 10"); what stripping removes: docs/cli.md ("attach").
#ifndef TVAULT_ATTACHMENTS_H_
#define TVAULT_ATTACHMENTS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace tvault {

// Bytes of the age file per stored row (the last row holds the rest).
constexpr size_t kAttachmentChunkBytes = 1u << 20;
// Default and hard ceiling of the size of one attachment as received.
constexpr uint64_t kDefaultMaxAttachmentBytes = 512ull << 20;
// Stripping reads the whole file into memory: files larger than this are refused unless their
// metadata is kept (which streams them).
constexpr uint64_t kMaxStripBytes = 128ull << 20;
constexpr size_t kMaxCaptionBytes = 2048;

// The kinds a user may give, and the one chosen from the media type when none is given.
// REQUIRES nothing; returns false for anything else.
bool IsAttachmentKind(const std::string& kind);

struct AttachOptions {
  std::string kind;            // photo|medical|audio|document|other; empty: from the media type
  std::string caption;         // plain text, searchable, stored readable in the store
  bool keep_metadata = false;  // store the file as received (required for unstrippable types)
  uint64_t max_bytes = kDefaultMaxAttachmentBytes;
};

// What the store knows about one attachment. Hashes are lower-case hex SHA-256.
struct AttachmentInfo {
  std::string id;              // 32 hex digits
  std::string record_id;
  uint32_t number = 0;         // 1, 2, ... within the record
  std::string kind;
  std::string media_type;      // sniffed from the content, e.g. "image/jpeg"
  std::string caption;
  bool stripped = false;       // metadata was removed before sealing
  uint64_t received_size = 0;
  std::string received_sha256;
  uint64_t stored_size = 0;
  std::string stored_sha256;
  uint64_t sealed_size = 0;    // the age file
  std::string sealed_sha256;
  std::string added_at;        // RFC 3339 UTC
  std::string custody;         // the statement whose SHA-256 is the "attach" entry's hash
  bool detached = false;
  std::string detach_reason;
  std::string detached_at;
};

struct AttachResult {
  AttachmentInfo info;
  // What the user must hear, e.g. that metadata was kept and what it may reveal.
  std::vector<std::string> warnings;
};

}  // namespace tvault

#endif  // TVAULT_ATTACHMENTS_H_
