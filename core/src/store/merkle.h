// RFC 6962 (Certificate Transparency) Merkle tree hashing over the audit log, with SHA-256:
//   leaf hash  = SHA-256(0x00 || entry bytes)
//   node hash  = SHA-256(0x01 || left || right)
// and the consistency proofs of RFC 6962 section 2.1.2 (verification as in RFC 9162 2.1.4.2).
#ifndef TVAULT_STORE_MERKLE_H_
#define TVAULT_STORE_MERKLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tvault/status.h"

namespace tvault::internal {

constexpr size_t kHashSize = 32;

std::string MerkleLeafHash(const std::string& entry);
std::string MerkleNodeHash(const std::string& left, const std::string& right);

// The right edge of a growing tree: the roots of its perfect subtrees, largest first. Appending
// and computing the root cost O(log n), so every transaction can checkpoint cheaply.
class MerkleFrontier {
 public:
  void Append(const std::string& leaf_hash);
  // The tree head for the leaves appended so far; SHA-256("") for an empty tree.
  std::string Root() const;
  uint64_t size() const { return size_; }

  // A compact serialization for storage: u64 size (little endian) then the subtree hashes.
  std::string Serialize() const;
  static Result<MerkleFrontier> Parse(const std::string& bytes);

 private:
  uint64_t size_ = 0;
  std::vector<std::pair<int, std::string>> nodes_;  // (height, hash), largest first
};

// MTH of leaves[begin, end). REQUIRES: begin <= end <= leaves.size().
std::string MerkleRoot(const std::vector<std::string>& leaf_hashes, size_t begin, size_t end);

// The consistency proof from the tree of the first `m` leaves to the tree of all of them.
// REQUIRES: 0 < m <= leaf_hashes.size().
std::vector<std::string> ConsistencyProof(const std::vector<std::string>& leaf_hashes, size_t m);

// True when `proof` shows that the tree of size `m` with root `old_root` is a prefix of the
// tree of size `n` with root `new_root`.
bool VerifyConsistency(uint64_t m, uint64_t n, const std::string& old_root,
                       const std::string& new_root, const std::vector<std::string>& proof);

}  // namespace tvault::internal

#endif  // TVAULT_STORE_MERKLE_H_
