// Merging record versions that arrive from other devices (docs/formats.md, "Merging versions").
//
// A version is identified by (record id, version number, content hash, parent hash): the
// parent is the content hash of the version it was made from, so the same content made from
// two parents is two versions, and a copy naming another parent never changes a stored one.
// The versions of a record form a tree rooted at version 1. The agreed line, stored in
// record_versions and shown by Get, History and List, is derived from that tree alone: start
// at version 1 and follow the only child; stop where there is none, or where several compete
// (a fork), or after a tombstone that has a child (an undeletion), unless a resolution chose
// one.
// Every other version lives in side_versions. Because the agreed line depends only on the
// set of versions and resolutions, never on their arrival order, importing bundles in any
// order, or twice, gives the same store content.
#ifndef TVAULT_STORE_MERGE_H_
#define TVAULT_STORE_MERGE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/store_impl.h"

namespace tvault::internal {

// A version that arrives in a bundle.
struct IncomingVersion {
  uint32_t version = 0;
  std::string hash;    // SHA-256 of body, or of reason for a tombstone (raw)
  std::string parent;  // raw; empty for version 1
  int64_t kind = 0;
  std::string created_at;
  bool tombstone = false;
  std::string reason;
  std::string body;
  // `body` parsed, when the caller has parsed it already (null for a tombstone, or when not
  // at hand): a record the store has never seen takes its summary row from it.
  std::unique_ptr<v1::Testimony> testimony;
};

// Every version of one record that the store holds, plus those arriving, without bodies.
struct RecordGraph {
  enum class Where { kMain, kSide, kIncoming };
  struct Node {
    uint32_t version = 0;
    std::string hash;
    std::string parent;
    std::string created_at;   // of a stored version (empty for an incoming one)
    bool tombstone = false;
    Where where = Where::kMain;
    const IncomingVersion* incoming = nullptr;
  };

  std::string id;
  int64_t kind = -1;        // -1 until known
  std::vector<Node> nodes;  // sorted by (version, hash, parent)

  // Index of the node, or -1.
  int Find(uint32_t version, const std::string& hash, const std::string& parent) const;
  // Index of the first node of that number and hash, whatever its parent, or -1.
  int FindAny(uint32_t version, const std::string& hash) const;
  // Indices of the versions made from node i, by hash.
  std::vector<int> Children(int i) const;
  // Node i and everything made from it, directly or not.
  std::vector<int> Subtree(int i) const;
};

// Loads every stored version of `id` (agreed line and side versions).
Result<RecordGraph> LoadRecordGraph(Db& db, const std::string& id);

struct Derivation {
  std::vector<int> main;      // indices of the agreed line, version 1, 2, ...
  uint32_t fork_version = 0;  // the contested version number when the line stops at a fork
};

// Derives the agreed line of `g` under the record's stored resolutions. kDamaged when the
// record has two different versions 1 (only a forged or broken bundle can cause that).
Result<Derivation> DeriveAgreedLine(Db& db, const RecordGraph& g);

// Applies merges inside one write transaction (Store::Impl::Mutate).
class RecordMerger {
 public:
  explicit RecordMerger(Store::Impl* impl) : impl_(impl) {}

  // Reads the facility registry (for the records summary rows). Call once before merging.
  Status LoadFacilities();

  struct Outcome {
    bool existed = false;      // the store had any version of the record before
    uint64_t added = 0;        // versions it did not have
    bool conflicting = false;  // an open conflict now, or an added version was set aside
    bool changed = false;      // anything was written
  };

  // Adds the versions of record `id` that the store does not have, re-derives its agreed line
  // and moves versions between record_versions and side_versions to match. Writes nothing
  // when every version is already stored. `signer` (a minisign key id) is recorded as the one
  // that brought each added version.
  //
  // Two devices can make the same content at the same number from different parents, e.g.
  // both delete a record with the same reason after different edits: two versions, each on its
  // own branch. A stored version is never re-parented, so a copy naming another parent (a
  // forged or broken bundle) is set aside and cannot move the agreed line. Two copies of one
  // version (same parent too) carry two times: the earliest created_at seen is kept, so the
  // result does not depend on which arrived first.
  //
  // A record the store has never seen (no version, side version or resolution: one lookup
  // tells) takes a fast path with the same result: nothing stored is loaded or moved, and its
  // summary row is written from the incoming versions (their parsed testimony when given)
  // instead of being rebuilt from the bodies read back.
  Result<Outcome> Merge(const std::string& id, const std::vector<IncomingVersion>& incoming,
                        const std::string& signer = "");

  // Re-derives the agreed line of `id` from its stored versions (after a resolution).
  Status Rederive(const std::string& id);

 private:
  // Whether the store holds anything of record `id`: a version, a side version or a
  // resolution.
  Result<bool> Known(const std::string& id);
  // `known` false: the store holds nothing of the record (Known), so there is nothing to move
  // out of the agreed line, no conflict row to replace, and the summary row is written from
  // the incoming versions.
  Status Apply(RecordGraph& g, const Derivation& d, bool known = true);
  // Sets the stored created_at of the stored version `n` of record `id`.
  // REQUIRES: n is in record_versions or side_versions (not incoming).
  Status SetCreatedAt(RecordGraph::Node& n, const std::string& id, const std::string& created_at);
  // The newest version of an agreed line made only of incoming versions (the fast path).
  struct IncomingHead {
    uint32_t latest = 0;
    bool deleted = false;
    std::string first_created, last_created;
    const IncomingVersion* newest_body = nullptr;  // the newest one that is not a tombstone
  };
  // Writes the `records` summary row of `id`: from the agreed line read back from
  // record_versions, or, when `fresh` is given, from those incoming versions. The only place
  // the merge writes that row.
  Status RewriteHead(const std::string& id, int64_t kind, const IncomingHead* fresh = nullptr);

  Store::Impl* impl_;
  std::map<std::string, std::string> facility_country_;
};

}  // namespace tvault::internal

#endif  // TVAULT_STORE_MERGE_H_
