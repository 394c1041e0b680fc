// In-process benchmarks (Google Benchmark) for scripts/bench.sh and docs/performance.md:
//
//   BM_SealIdentity          crypto_box_seal of one demo identity block, as `add` does per
//                            record (bench.sh divides N times this by add's time: the share
//                            of `add --from` spent sealing)
//   BM_PseudonymOfSealed     open one sealed identity and derive its pseudonym, as import's
//                            "derive pseudonyms" stage does per record (one PseudonymScratch
//                            kept across records, as each of its workers keeps one)
//   BM_ParseTestimony        parse one stored testimony body (the report scan does it per
//                            record)
//   BM_Argon2idModerate      the passphrase KDF at libsodium's MODERATE limits
//   BM_SuppressionVsExact    scenario 5: Protect and the self-audit on a small stack of
//                            linked report tables, against the exact optimum of the joint
//                            program (exact_suppression.h); counters give the cells and the
//                            ratio (greedy_*: the same without Protect's clean-up pass).
//                            Arguments: cost (0 value, 1 unity), months, seed.
//                            Two-month stacks take minutes (unity cost: often more than the
//                            exact program's limit); bench.sh runs one-month stacks.
//
// Figures only: nothing here fails on timing.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <string>
#include <vector>

#include "crypto/seal.h"
#include "exact_suppression.h"
#include "pipeline/attack.h"
#include "pipeline/protect.h"
#include "pipeline/pseudonymise.h"
#include "testing/report_stack.h"
#include "tvault/demo.h"

namespace {

using tvault::OrgPublicKey;
using tvault::OrgSecretKey;
using tvault::SecretBytes;

OrgSecretKey NewOrgKey() {
  std::array<uint8_t, tvault::kOrgKeySize> pub{};
  SecretBytes secret(tvault::kOrgKeySize);
  crypto_box_keypair(pub.data(), secret.data());
  return OrgSecretKey(std::move(secret), OrgPublicKey(pub));
}

// A typical demo testimony (the first pushback with an identity of seed 1).
tvault::v1::Testimony DemoTestimony() {
  tvault::DemoOptions o;
  o.count = 50;
  for (auto& t : tvault::GenerateDemoTestimonies(o)) {
    if (t.has_pushback() && t.has_identity()) return t;
  }
  return tvault::v1::Testimony();
}

void BM_SealIdentity(benchmark::State& state) {
  const OrgSecretKey org = NewOrgKey();
  const std::string plain = DemoTestimony().identity().SerializeAsString();
  for (auto _ : state) {
    benchmark::DoNotOptimize(tvault::internal::SealToOrg(org.public_key(), plain));
  }
  state.counters["bytes"] = static_cast<double>(plain.size());
}
BENCHMARK(BM_SealIdentity);

void BM_PseudonymOfSealed(benchmark::State& state) {
  const OrgSecretKey org = NewOrgKey();
  const SecretBytes key = tvault::pipeline::PseudonymKey(org);
  const std::string sealed = *tvault::internal::SealToOrg(
      org.public_key(), DemoTestimony().identity().SerializeAsString());
  tvault::pipeline::PseudonymScratch scratch;
  for (auto _ : state) {
    auto p = tvault::pipeline::PseudonymOfSealed(org, key, sealed, &scratch);
    if (!p.ok()) state.SkipWithError("the sealed identity did not open");
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_PseudonymOfSealed);

void BM_ParseTestimony(benchmark::State& state) {
  tvault::v1::Testimony t = DemoTestimony();
  t.clear_identity();
  t.set_sealed_identity(std::string(120, 'x'));
  const std::string body = t.SerializeAsString();
  for (auto _ : state) {
    tvault::v1::Testimony parsed;
    benchmark::DoNotOptimize(parsed.ParseFromString(body));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_ParseTestimony);

void BM_Argon2idModerate(benchmark::State& state) {
  unsigned char out[32], salt[crypto_pwhash_SALTBYTES] = {0};
  const char pass[] = "benchmark passphrase";
  for (auto _ : state) {
    if (crypto_pwhash(out, sizeof out, pass, sizeof pass - 1, salt,
                      crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
      state.SkipWithError("out of memory");
    }
  }
}
BENCHMARK(BM_Argon2idModerate)->Unit(benchmark::kMillisecond)->Iterations(3);

double Cpu() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void BM_SuppressionVsExact(benchmark::State& state) {
  using tvault::pipeline::CostKind;
  const CostKind cost = state.range(0) == 1 ? CostKind::kUnity : CostKind::kValue;
  const int months = static_cast<int>(state.range(1));
  const auto seed = static_cast<uint32_t>(state.range(2));
  tvault::pipeline::ProtectOptions popts;
  popts.cost = cost;
  popts.time_limit_seconds = 600;
  for (auto _ : state) {
    // Earlier months are protected first (as the monthly reports were); only the last
    // month's Protect and audit are timed and compared.
    auto stack = tvault::testing::ProtectMonthByMonth(tvault::testing::ReportShape::Small(),
                                                      months, seed, popts);
    if (!stack.ok()) {
      state.SkipWithError(stack.status().message().c_str());
      return;
    }
    double c0 = Cpu();
    auto pattern = tvault::pipeline::Protect(stack->set, popts);
    const double protect_cpu = Cpu() - c0;
    if (!pattern.ok()) {
      state.SkipWithError(pattern.status().message().c_str());
      return;
    }
    // The greedy pass alone (no clean-up), for the before/after of the clean-up.
    tvault::pipeline::ProtectOptions greedy_opts = popts;
    greedy_opts.cleanup = false;
    auto greedy = tvault::pipeline::Protect(stack->set, greedy_opts);
    if (!greedy.ok()) {
      state.SkipWithError(greedy.status().message().c_str());
      return;
    }
    tvault::pipeline::AuditOptions aopts;
    aopts.time_limit_seconds = 600;
    c0 = Cpu();
    auto audit = tvault::pipeline::Audit(
        stack->set,
        tvault::pipeline::WithheldFrom(stack->set, tvault::testing::SuppressedCells(*pattern)),
        aopts);
    const double audit_cpu = Cpu() - c0;
    if (!audit.ok() || !audit->passed()) {
      state.SkipWithError("the self-audit did not pass");
      return;
    }
    c0 = Cpu();
    auto exact = tvault::bench::ExactSecondarySuppression(stack->set, cost, 1.0, 120);
    const double exact_cpu = Cpu() - c0;
    // The same with M twice as large: the optimum must not move (exact_suppression.h).
    auto wider = tvault::bench::ExactSecondarySuppression(stack->set, cost, 2.0, 120);
    if (!exact.ok() || !wider.ok()) {
      state.SkipWithError((exact.ok() ? wider : exact).status().message().c_str());
      return;
    }
    const auto got = tvault::bench::NewSecondaryCost(stack->set, *pattern, cost);
    state.counters["cells"] = static_cast<double>(stack->set.cells().size());
    state.counters["primary"] = pattern->primary;
    state.counters["protect_cells"] = got.cells;
    state.counters["exact_cells"] = exact->cells;
    state.counters["protect_cost"] = got.cost;
    state.counters["exact_cost"] = exact->cost;
    state.counters["cost_ratio"] = exact->cost > 0 ? got.cost / exact->cost : 1.0;
    const auto greedy_cost = tvault::bench::NewSecondaryCost(stack->set, *greedy, cost);
    state.counters["greedy_cost"] = greedy_cost.cost;
    state.counters["greedy_ratio"] = exact->cost > 0 ? greedy_cost.cost / exact->cost : 1.0;
    state.counters["m_stable"] = wider->cost == exact->cost ? 1 : 0;
    state.counters["protect_s"] = protect_cpu;
    state.counters["audit_s"] = audit_cpu;
    state.counters["exact_s"] = exact_cpu;
    state.counters["exact_cols"] = exact->columns;
  }
}
BENCHMARK(BM_SuppressionVsExact)
    ->ArgNames({"unity", "months", "seed"})
    ->ArgsProduct({{0, 1}, {1, 2}, {1, 2, 3, 4, 5}})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
