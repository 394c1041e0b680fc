// The proto form of a consistency proof (proto/tvault/v1/log.proto), as reports and bundles
// carry it, to and from the API's ConsistencyProofData.
#ifndef TVAULT_STORE_LOG_PROOF_H_
#define TVAULT_STORE_LOG_PROOF_H_

#include "tvault/audit.h"
#include "tvault/v1/log.pb.h"

namespace tvault::internal {

inline void ProofToProto(const ConsistencyProofData& p, v1::LogConsistencyProof* out) {
  out->set_old_size(p.old_size);
  out->set_new_size(p.new_size);
  for (const std::string& h : p.hashes) out->add_hashes(h);
}

inline ConsistencyProofData ProofFromProto(const v1::LogConsistencyProof& p) {
  return {p.old_size(), p.new_size(), {p.hashes().begin(), p.hashes().end()}};
}

}  // namespace tvault::internal

#endif  // TVAULT_STORE_LOG_PROOF_H_
