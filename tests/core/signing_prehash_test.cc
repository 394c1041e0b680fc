// Streaming minisign signatures: SignPrehashed / VerifyMinisignPrehashed over a message hashed
// in pieces (how bundles are signed and checked) agree with the one-shot functions.
#include <gtest/gtest.h>

#include "tvault/signing.h"

namespace tvault {
namespace {

MinisignPrehash HashInPieces(const std::string& message, size_t piece) {
  MinisignHasher h;
  for (size_t i = 0; i < message.size(); i += piece) h.Update(message.substr(i, piece));
  return h.Final();
}

TEST(SigningPrehashTest, StreamedSignatureVerifiesBothWays) {
  SignerSecretKey key = *SignerSecretKey::Generate();
  std::string message;
  for (int i = 0; i < 20000; ++i) message += "record " + std::to_string(i) + "\n";
  const MinisignPrehash hash = HashInPieces(message, 4093);
  EXPECT_EQ(hash, HashInPieces(message, message.size()));

  auto sig = key.SignPrehashed(hash, "streamed");
  ASSERT_TRUE(sig.ok()) << sig.status().message();
  auto whole = VerifyMinisign(key.public_key(), message, *sig);
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  EXPECT_EQ(*whole, "streamed");
  EXPECT_TRUE(VerifyMinisignPrehashed(key.public_key(), hash, *key.Sign(message, "c")).ok());
  EXPECT_EQ(*MinisignSignatureKeyId(*sig), key.public_key().key_id());

  message[100] ^= 1;
  EXPECT_EQ(VerifyMinisignPrehashed(key.public_key(), HashInPieces(message, 7), *sig)
                .status()
                .code(),
            Code::kDamaged);
  SignerSecretKey other = *SignerSecretKey::Generate();
  EXPECT_EQ(VerifyMinisignPrehashed(other.public_key(), hash, *sig).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(MinisignSignatureKeyId("not a signature").status().code(), Code::kDamaged);
  EXPECT_EQ(key.SignPrehashed(hash, "two\nlines").status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace tvault
