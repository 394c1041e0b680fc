// Bundles: how testimonies travel from monitors' devices to the analysts' store, offline.
//
// A bundle is an age v1 file encrypted to the organisation key. Its plaintext is the payload
// (length-delimited protobuf messages: a header, one message per record version or tombstone
// with the sealed identity untouched, a trailer with the exporting store's signed audit-log
// checkpoint), then the monitor's minisign signature of the payload, then a fixed 32-byte
// footer giving both lengths. The signature is inside the encryption, so a bundle seized on
// the way does not reveal who made it. Byte layout: docs/formats.md ("Bundle"). The Store
// methods that export and import bundles are declared in tvault/store.h.
#ifndef TVAULT_BUNDLE_H_
#define TVAULT_BUNDLE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tvault/signing.h"

namespace tvault {

// 2 since the header names the recipient (the signature covers it); 3 since bundles carry
// attachments; 4 since the trailer carries the facility entries the testimonies refer to. A
// reader accepts 2, 3 and 4, refuses 1, whose signature did not cover the recipient, and
// anything newer.
constexpr uint32_t kBundleFormatVersion = 4;

// Default ceilings on the attachments of one bundle (the sizes of their sealed age files).
constexpr uint64_t kDefaultBundleMaxAttachmentBytes = 1ull << 30;       // one attachment
constexpr uint64_t kDefaultBundleMaxTotalAttachmentBytes = 4ull << 30;  // all of one bundle

// What an import accepts: a bundle with an attachment or attachments beyond these is
// rejected whole (kDamaged) before the store is touched.
struct BundleLimits {
  uint64_t max_attachment_bytes = kDefaultBundleMaxAttachmentBytes;
  uint64_t max_total_attachment_bytes = kDefaultBundleMaxTotalAttachmentBytes;
};

struct BundleExportOptions {
  bool all = false;  // every version, even those an earlier bundle carried
  // The files of attachments are taken (by attachment id) while their sizes add up to at most
  // this; the others wait for a later bundle (BundleExportResult::attachments_left).
  uint64_t max_attachment_bytes = kDefaultBundleMaxTotalAttachmentBytes;
};

struct BundleExportResult {
  uint64_t record_versions = 0;  // record versions written, tombstones included
  uint64_t tombstones = 0;
  uint64_t bytes = 0;            // size of the bundle file
  uint64_t attachments = 0;      // attachments carried (with their file, or a detach only)
  uint64_t attachment_bytes = 0; // sizes of the sealed files carried
  uint64_t attachments_left = 0; // files left for a later bundle by max_attachment_bytes
};

// What one import did, counted per record (a record counts once, in the first that applies:
// conflicting, new, updated, unchanged).
struct BundleImportResult {
  std::string signer_name;       // the trusted monitor who signed it
  std::string signer_key_id;     // as minisign prints it
  std::string source_store;      // the exporting store's id
  std::string source_monitor;    // the exporting store's monitor id
  bool signer_bound = false;     // this import bound the signer to source_store (first use)
  std::string source_log_key;    // the exporting store's audit-log verifier key
  uint64_t record_versions = 0;  // record versions in the bundle
  uint64_t versions_added = 0;   // versions this store did not have
  uint64_t new_records = 0;
  uint64_t updated = 0;
  uint64_t unchanged = 0;
  uint64_t conflicting = 0;      // records left with a conflict, or a version set aside
  uint64_t attachments_added = 0;    // new attachments, each checked against its hashes
  uint64_t attachments_detached = 0; // known attachments that arrived detached
  uint64_t attachments_skipped = 0;  // detaches of attachments whose file never arrived here
  // Facilities the bundle carried (format 4): the ids this store did not know and added to
  // its registry, and one line for each it knows with another name, country or type (its
  // own entry is kept: "ID: here "NAME" (TYPE, CC); in the bundle "NAME" (TYPE, CC)").
  std::vector<std::string> facilities_added;
  std::vector<std::string> facility_differences;
};

// Called while the records of a bundle are checked and applied: (phase, done, total), phase
// "verify" then "import".
using BundleProgress = std::function<void(const char* phase, uint64_t done, uint64_t total)>;

// A monitor whose bundles a store accepts. A trust entry is bound to one exporting store and
// that store's audit-log verifier key: set at `trust add --log-key`, or by the first bundle it
// signs that the store imports. Empty until bound.
struct TrustedSigner {
  SignerPublicKey key;
  std::string name;
  std::string added_at;  // RFC 3339 UTC
  std::string store_id;  // 32 hex digits, the store its bundles come from
  std::string log_key;   // that store's audit-log verifier key (C2SP signed-note form)
};

// One version of a record that competes in a conflict, or that was set aside.
struct ConflictCandidate {
  uint32_t version = 0;
  std::string content_hash;  // raw 32 bytes
  std::string token;         // "<version>:<first 8 hex digits of the hash>", for --keep
  std::string created_at;
  bool tombstone = false;
  bool head = false;         // the newest version of its branch
  // Where it came from. A version no bundle brought was made in this store (`local`), or
  // arrived before the store recorded origins (schema version 9).
  bool local = false;
  std::string origin_store;   // the store it was made in: this one, or its signer's store
  std::string signer_key_id;  // minisign key id of the bundle that brought it; empty if local
  std::string signer_name;    // that signer's name in this store's trust list
  std::string received_at;    // RFC 3339 UTC, when that bundle was imported
};

// A record whose history forked since two devices last synchronised.
struct ConflictInfo {
  std::string id;
  uint32_t agreed_version = 0;  // the last version both branches share
  std::vector<ConflictCandidate> candidates;  // every version after it, by (version, hash)
};

}  // namespace tvault

#endif  // TVAULT_BUNDLE_H_
