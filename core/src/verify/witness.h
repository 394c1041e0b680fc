// The integer points report's gate hands to check 4 (VerifyWitnesses in tvault/verify.h),
// checked against the attacker's model rebuilt from the published files.
#ifndef TVAULT_VERIFY_WITNESS_H_
#define TVAULT_VERIFY_WITNESS_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tvault/verify.h"
#include "verify/model.h"

namespace tvault::verify_internal {

// The base point (the true counts) and every change that fits the model: a change fits when
// each cell it moves is an unknown of the model with a base value, stays at or above its
// lower bound (1 suppressed, 0 hidden), and every relation of the model holds for the change
// in exact integers. Whether the base itself fits is decided per component (Fits), since a
// component's relations are the only ones its unknowns appear in.
class Witnesses {
 public:
  // REQUIRES: `m` outlives this object.
  Witnesses(const Model& m, const VerifyWitnesses& w);

  // Whether the base point gives every unknown of a component a value at or above its lower
  // bound and satisfies every relation of the component (published numbers as constants).
  // When true, the base and every fitting change restricted to the component are integer
  // tables the attacker cannot rule out, and Lo/Hi bound the component's integer ranges from
  // inside.
  bool Fits(const std::vector<size_t>& unknowns,
            const std::vector<const Relation*>& relations) const;
  int64_t Lo(size_t unknown) const { return lo_[unknown]; }
  int64_t Hi(size_t unknown) const { return hi_[unknown]; }
  size_t used() const { return used_; }
  size_t rejected() const { return rejected_; }

 private:
  const Model& m_;
  std::map<std::string, int64_t> base_;  // cell key -> true count
  std::vector<int64_t> base_value_;      // per unknown
  std::vector<bool> has_base_;           // per unknown: a value at or above its lower bound
  std::vector<int64_t> lo_, hi_;         // per unknown, over the base and the fitting changes
  size_t used_ = 0, rejected_ = 0;
};

}  // namespace tvault::verify_internal

#endif  // TVAULT_VERIFY_WITNESS_H_
