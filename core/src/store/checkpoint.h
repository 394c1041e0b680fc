// Signing checkpoints of the audit log as C2SP signed notes with the store's Ed25519 key.
#ifndef TVAULT_STORE_CHECKPOINT_H_
#define TVAULT_STORE_CHECKPOINT_H_

#include <string>

#include "tvault/audit.h"
#include "tvault/secret.h"

namespace tvault::internal {

constexpr char kCheckpointOriginPrefix[] = "tvault/store/";
constexpr uint8_t kNoteSigTypeEd25519 = 0x01;
constexpr size_t kCheckpointSeedSize = 32;
// A checkpoint note with more signature lines than this is refused (C2SP signed-note lets a
// verifier bound them): the log's own signature and a few witnesses' cosignatures.
constexpr size_t kMaxNoteSignatures = 16;

// The checkpoint body: "<origin>\n<size>\n<base64 root>\n".
std::string CheckpointBody(const Checkpoint& cp);

// Signs `cp` with the Ed25519 key derived from `seed` under key name = origin. Returns the
// whole note: body, blank line, one signature line "— <name> <base64(key hash || sig)>".
std::string SignCheckpoint(const Checkpoint& cp, const SecretBytes& seed);

// The verifier key for the key derived from `seed`, named `name`.
std::string VerifierKeyFor(const std::string& name, const SecretBytes& seed);

// The key id of that key: its signed-note key hash as 8 lower-case hex digits, the middle
// field of the verifier key. The audit log names it as the actor of every entry the store
// appends, so an entry points at the key that signed the checkpoints covering it.
std::string CheckpointKeyId(const std::string& name, const SecretBytes& seed);

}  // namespace tvault::internal

#endif  // TVAULT_STORE_CHECKPOINT_H_
