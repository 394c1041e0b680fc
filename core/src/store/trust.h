// Trust entries bound to stores and keys (docs/formats.md, "Trusted signers").
#ifndef TVAULT_STORE_TRUST_H_
#define TVAULT_STORE_TRUST_H_

#include <string>

#include "store/db.h"
#include "tvault/bundle.h"

namespace tvault::internal {

// The store id named by a store's audit-log verifier key ("tvault/store/<store id>+..."), after
// checking that it is one. kInvalidArgument otherwise.
Result<std::string> StoreIdOfLogKey(const std::string& log_key);

// Checks that a bundle of store `store_id`, whose trailer carries `log_key`, may come from
// `signer`: a bound signer only from its own store with its own key, an unbound one only from
// a store and key no other signer is bound to. With `bind`, binds an unbound signer to them
// (and sets *bound_now). kInvalidArgument when refused.
Status CheckAndBindSigner(Db& db, const TrustedSigner& signer, const std::string& store_id,
                          const std::string& log_key, bool bind, bool* bound_now);

}  // namespace tvault::internal

#endif  // TVAULT_STORE_TRUST_H_
