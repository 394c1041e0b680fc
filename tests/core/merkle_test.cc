// RFC 6962 tree hashing, the frontier, and consistency proofs (core/src/store/merkle.h).
#include "store/merkle.h"

#include <gtest/gtest.h>
#include <sodium.h>

namespace tvault::internal {
namespace {

std::string Hex(const std::string& b) {
  std::string out(b.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(b.data()), b.size());
  out.pop_back();
  return out;
}

// The leaves and roots of the Certificate Transparency reference tests (RFC 6962 trees).
std::vector<std::string> ReferenceLeaves() {
  return {std::string(""),
          std::string("\x00", 1),
          std::string("\x10"),
          std::string("\x20\x21"),
          std::string("\x30\x31"),
          std::string("\x40\x41\x42\x43"),
          std::string("\x50\x51\x52\x53\x54\x55\x56\x57"),
          std::string("\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f")};
}

TEST(Merkle, ReferenceRoots) {
  const char* kRoots[] = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  std::vector<std::string> leaves;
  MerkleFrontier f;
  for (const std::string& data : ReferenceLeaves()) {
    leaves.push_back(MerkleLeafHash(data));
    f.Append(leaves.back());
    EXPECT_EQ(Hex(MerkleRoot(leaves, 0, leaves.size())), kRoots[leaves.size() - 1]);
    EXPECT_EQ(Hex(f.Root()), kRoots[leaves.size() - 1]);
  }
  EXPECT_EQ(Hex(MerkleFrontier().Root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

std::vector<std::string> Leaves(size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(MerkleLeafHash("entry " + std::to_string(i)));
  return out;
}

TEST(Merkle, FrontierMatchesFullTreeAndSurvivesSerialization) {
  std::vector<std::string> leaves = Leaves(130);
  MerkleFrontier f;
  for (size_t n = 1; n <= leaves.size(); ++n) {
    f.Append(leaves[n - 1]);
    ASSERT_EQ(f.Root(), MerkleRoot(leaves, 0, n)) << n;
    auto back = MerkleFrontier::Parse(f.Serialize());
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(back->Root(), f.Root());
    ASSERT_EQ(back->size(), n);
  }
  std::string bad = f.Serialize();
  bad.pop_back();
  EXPECT_FALSE(MerkleFrontier::Parse(bad).ok());
}

TEST(Merkle, ConsistencyProofsVerifyForEverySizePair) {
  std::vector<std::string> leaves = Leaves(40);
  for (size_t n = 1; n <= leaves.size(); ++n) {
    std::vector<std::string> prefix(leaves.begin(), leaves.begin() + static_cast<long>(n));
    const std::string new_root = MerkleRoot(prefix, 0, n);
    for (size_t m = 1; m <= n; ++m) {
      const std::string old_root = MerkleRoot(prefix, 0, m);
      std::vector<std::string> proof = m == n ? std::vector<std::string>{} : ConsistencyProof(prefix, m);
      ASSERT_TRUE(VerifyConsistency(m, n, old_root, new_root, proof)) << m << " -> " << n;
      if (m == n) continue;
      // A different old root, a changed proof hash, or wrong sizes must all fail.
      EXPECT_FALSE(VerifyConsistency(m, n, MerkleLeafHash("x"), new_root, proof));
      std::vector<std::string> bad = proof;
      bad.back()[0] ^= 1;
      EXPECT_FALSE(VerifyConsistency(m, n, old_root, new_root, bad)) << m << " -> " << n;
      if (m + 1 < n) EXPECT_FALSE(VerifyConsistency(m + 1, n, old_root, new_root, proof));
    }
  }
}

TEST(Merkle, RewrittenHistoryHasNoValidProof) {
  std::vector<std::string> leaves = Leaves(20);
  const std::string old_root = MerkleRoot(leaves, 0, 7);
  std::vector<std::string> rewritten = leaves;
  rewritten[3] = MerkleLeafHash("forged");
  std::vector<std::string> proof = ConsistencyProof(rewritten, 7);
  EXPECT_FALSE(VerifyConsistency(7, 20, old_root, MerkleRoot(rewritten, 0, 20), proof));
}

}  // namespace
}  // namespace tvault::internal
