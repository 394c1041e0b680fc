// An insider with a store's passphrase rewriting its audit log and covering the tracks: what
// only checkpoints that left the device can reveal.
#ifndef TVAULT_TESTS_TESTING_LOG_FORGE_H_
#define TVAULT_TESTS_TESTING_LOG_FORGE_H_

#include <cstdint>
#include <string>

#include "tvault/secret.h"

namespace tvault::testing {

// Changes the time of audit-log entry `seq` of the (closed) store in `dir`, then rewrites
// everything that could give it away inside the store: the cached leaf, every stored checkpoint
// (re-signed with the store's own checkpoint key, read from the database) and the stored tree
// head. Afterwards the store's own `log verify` finds nothing. Fails the test on error.
void RewriteAuditEntry(const std::string& dir, const SecretBytes& passphrase, uint64_t seq);

}  // namespace tvault::testing

#endif  // TVAULT_TESTS_TESTING_LOG_FORGE_H_
