// Deriving pseudonyms on several threads (Store::DerivePseudonyms). Opening a sealed identity
// (crypto_box_seal_open, about 36 us) is nearly all the work of deriving a pseudonym and every
// version is independent, so the opening runs on worker threads while the caller reads the
// store and writes the results in order. libsodium is thread-safe once sodium_init has run.
#ifndef TVAULT_STORE_PSEUDONYM_POOL_H_
#define TVAULT_STORE_PSEUDONYM_POOL_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/pseudonymise.h"
#include "tvault/keys.h"
#include "tvault/secret.h"
#include "tvault/status.h"

namespace tvault::internal {

// One stored version whose pseudonym is wanted.
struct PseudonymJob {
  std::string month;  // its incident month (the key of its report_facts row, with id)
  std::string id;
  int64_t version = 0;
  std::string body;  // the stored record body (identity sealed)
  // Set by the derivation: the pseudonym (empty when nothing identifies the person), or why
  // there is none. The caller wipes `person` once written. A job that comes with an error
  // (its body could not be read) is left as it is.
  Status status;
  std::string person;
};

// Derives one job: parses the body, opens its sealed identity and normalises it in `*scratch`.
void DerivePseudonymJob(const OrgSecretKey& org, const SecretBytes& key, PseudonymJob* job,
                        pipeline::PseudonymScratch* scratch);

// A fixed set of worker threads that derive batches of jobs. Each worker opens and normalises
// identities in its own sodium_malloc buffers, wiped after every use and freed when the pool ends. Results
// depend only on each job, never on the number of threads or on timing.
class PseudonymPool {
 public:
  // Up to `threads` workers (fewer when the system refuses to make more: see size());
  // `org` and `key` must outlive the pool.
  PseudonymPool(const OrgSecretKey& org, const SecretBytes& key, int threads);
  ~PseudonymPool();
  PseudonymPool(const PseudonymPool&) = delete;
  PseudonymPool& operator=(const PseudonymPool&) = delete;

  // Starts deriving every job of `*batch`. REQUIRES: no batch is running; `*batch` is left
  // alone by the caller until Wait returns.
  void Start(std::vector<PseudonymJob>* batch);
  // Waits until the batch of Start is derived (at once when none runs).
  void Wait();
  // The number of worker threads. REQUIRES for Start: size() > 0.
  size_t size() const { return threads_.size(); }

 private:
  void Work();

  const OrgSecretKey& org_;
  const SecretBytes& key_;
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::vector<PseudonymJob>* batch_ = nullptr;  // guarded by mu_
  size_t next_ = 0, done_ = 0;                  // guarded by mu_
  bool stop_ = false;                           // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace tvault::internal

#endif  // TVAULT_STORE_PSEUDONYM_POOL_H_
