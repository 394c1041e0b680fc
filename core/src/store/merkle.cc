#include "store/merkle.h"

#include <sodium.h>

namespace tvault::internal {
namespace {

std::string Sha256Of(const std::string& prefix_and_data) {
  std::string out(kHashSize, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()),
                     reinterpret_cast<const unsigned char*>(prefix_and_data.data()),
                     prefix_and_data.size());
  return out;
}

// The largest power of two strictly less than n. REQUIRES: n > 1.
size_t SplitPoint(size_t n) {
  size_t k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}

void SubProof(const std::vector<std::string>& leaves, size_t begin, size_t end, size_t m,
              bool complete, std::vector<std::string>* out) {
  const size_t n = end - begin;
  if (m == n) {
    if (!complete) out->push_back(MerkleRoot(leaves, begin, end));
    return;
  }
  const size_t k = SplitPoint(n);
  if (m <= k) {
    SubProof(leaves, begin, begin + k, m, complete, out);
    out->push_back(MerkleRoot(leaves, begin + k, end));
  } else {
    SubProof(leaves, begin + k, end, m - k, false, out);
    out->push_back(MerkleRoot(leaves, begin, begin + k));
  }
}

}  // namespace

std::string MerkleLeafHash(const std::string& entry) {
  return Sha256Of(std::string(1, '\0') + entry);
}

std::string MerkleNodeHash(const std::string& left, const std::string& right) {
  return Sha256Of(std::string(1, '\1') + left + right);
}

void MerkleFrontier::Append(const std::string& leaf_hash) {
  nodes_.emplace_back(0, leaf_hash);
  while (nodes_.size() >= 2 && nodes_[nodes_.size() - 1].first == nodes_[nodes_.size() - 2].first) {
    auto right = std::move(nodes_.back());
    nodes_.pop_back();
    auto& left = nodes_.back();
    left.second = MerkleNodeHash(left.second, right.second);
    left.first += 1;
  }
  ++size_;
}

std::string MerkleFrontier::Root() const {
  if (nodes_.empty()) return Sha256Of("");
  // The RFC 6962 split puts the largest perfect subtree on the left, so the root folds the
  // frontier from the right.
  std::string acc = nodes_.back().second;
  for (size_t i = nodes_.size() - 1; i-- > 0;) acc = MerkleNodeHash(nodes_[i].second, acc);
  return acc;
}

std::string MerkleFrontier::Serialize() const {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<char>(size_ >> (8 * i));
  for (const auto& node : nodes_) out += node.second;
  return out;
}

Result<MerkleFrontier> MerkleFrontier::Parse(const std::string& bytes) {
  if (bytes.size() < 8 || (bytes.size() - 8) % kHashSize != 0) {
    return Damaged("audit-log frontier has a bad length");
  }
  MerkleFrontier f;
  for (int i = 7; i >= 0; --i) f.size_ = (f.size_ << 8) | static_cast<uint8_t>(bytes[static_cast<size_t>(i)]);
  // The heights are the set bits of the size, largest first.
  size_t offset = 8;
  for (int h = 63; h >= 0; --h) {
    if (((f.size_ >> h) & 1) == 0) continue;
    if (offset + kHashSize > bytes.size()) return Damaged("audit-log frontier is truncated");
    f.nodes_.emplace_back(h, bytes.substr(offset, kHashSize));
    offset += kHashSize;
  }
  if (offset != bytes.size()) return Damaged("audit-log frontier does not match its size");
  return f;
}

std::string MerkleRoot(const std::vector<std::string>& leaves, size_t begin, size_t end) {
  const size_t n = end - begin;
  if (n == 0) return Sha256Of("");
  if (n == 1) return leaves[begin];
  const size_t k = SplitPoint(n);
  return MerkleNodeHash(MerkleRoot(leaves, begin, begin + k), MerkleRoot(leaves, begin + k, end));
}

std::vector<std::string> ConsistencyProof(const std::vector<std::string>& leaves, size_t m) {
  std::vector<std::string> out;
  if (m == 0 || m > leaves.size()) return out;
  SubProof(leaves, 0, leaves.size(), m, true, &out);
  return out;
}

bool VerifyConsistency(uint64_t m, uint64_t n, const std::string& old_root,
                       const std::string& new_root, const std::vector<std::string>& proof) {
  if (m > n || m == 0) return false;
  if (m == n) return proof.empty() && old_root == new_root;
  // RFC 9162 section 2.1.4.2.
  if (proof.empty()) return false;
  std::vector<std::string> path = proof;
  if ((m & (m - 1)) == 0) path.insert(path.begin(), old_root);  // m is a power of two
  uint64_t fn = m - 1, sn = n - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    if (sn == 0) return false;
    const std::string& c = path[i];
    if ((fn & 1) || fn == sn) {
      fr = MerkleNodeHash(c, fr);
      sr = MerkleNodeHash(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = MerkleNodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

}  // namespace tvault::internal
