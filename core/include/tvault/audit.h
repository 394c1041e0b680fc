// Checking the audit log from outside the store: signed checkpoints (C2SP tlog-checkpoint in
// the C2SP signed-note format, Ed25519) and RFC 6962 consistency proofs between two of them.
// An auditor needs only these functions, two checkpoints, a proof and the store's verifier
// key. Formats: docs/formats.md ("Audit log").
#ifndef TVAULT_AUDIT_H_
#define TVAULT_AUDIT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tvault/status.h"

namespace tvault {

// A tree head of a store's audit log.
struct Checkpoint {
  std::string origin;  // "tvault/store/<store id>"
  uint64_t size = 0;   // number of entries
  std::string root;    // 32-byte RFC 6962 root hash (raw bytes)
};

// Parses a signed checkpoint note and verifies its Ed25519 signature against `verifier_key`
// (the C2SP form "<name>+<8 hex digits>+<base64(0x01 || public key)>"). kDamaged when the
// note is malformed or the signature does not verify.
Result<Checkpoint> VerifyCheckpointNote(std::string_view note, std::string_view verifier_key);

// A consistency proof between two sizes of one log.
struct ConsistencyProofData {
  uint64_t old_size = 0;
  uint64_t new_size = 0;
  std::vector<std::string> hashes;  // raw 32-byte hashes
};

// The text form written by `tvault log prove`:
//   "tvault consistency proof v1\n" "old <size>\n" "new <size>\n" then one base64 hash a line.
std::string FormatConsistencyProof(const ConsistencyProofData& proof);
Result<ConsistencyProofData> ParseConsistencyProof(std::string_view text);

// OK when `proof` shows that `older` is a prefix of `newer` (same origin, sizes matching the
// proof). kDamaged naming what failed otherwise.
Status VerifyConsistencyProof(const Checkpoint& older, const Checkpoint& newer,
                              const ConsistencyProofData& proof);

}  // namespace tvault

#endif  // TVAULT_AUDIT_H_
