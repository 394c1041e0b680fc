#include "store/pseudonym_pool.h"

#include <system_error>

#include "pipeline/pseudonymise.h"
#include "store/db.h"
#include "tvault/v1/testimony.pb.h"

namespace tvault::internal {

void DerivePseudonymJob(const OrgSecretKey& org, const SecretBytes& key, PseudonymJob* job,
                        pipeline::PseudonymScratch* scratch) {
  if (!job->status.ok()) return;
  v1::Testimony t;
  if (!t.ParseFromString(job->body)) {
    job->status = Damaged(std::string(kDamagedMessage) + " (record " + job->id + ")");
    return;
  }
  Result<std::string> person = pipeline::PseudonymOfSealed(org, key, t.sealed_identity(), scratch);
  if (!person.ok()) {
    job->status = Status(person.status().code(),
                         "record " + job->id + ": the sealed identity does not open with this "
                         "organisation key");
    return;
  }
  job->status = Status::Ok();
  job->person = std::move(person).value();
}

PseudonymPool::PseudonymPool(const OrgSecretKey& org, const SecretBytes& key, int threads)
    : org_(org), key_(key) {
  for (int i = 0; i < threads; ++i) {
    try {
      threads_.emplace_back([this] { Work(); });
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones made do the work, or the caller does
    }
  }
}

PseudonymPool::~PseudonymPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void PseudonymPool::Start(std::vector<PseudonymJob>* batch) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    batch_ = batch;
    next_ = done_ = 0;
  }
  work_cv_.notify_all();
}

void PseudonymPool::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [this] { return batch_ == nullptr || done_ == batch_->size(); });
  batch_ = nullptr;
}

void PseudonymPool::Work() {
  pipeline::PseudonymScratch scratch;  // this thread's buffers for opened identities
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [this] { return stop_ || (batch_ != nullptr && next_ < batch_->size()); });
    if (stop_) return;
    PseudonymJob* job = &(*batch_)[next_++];
    lock.unlock();
    DerivePseudonymJob(org_, key_, job, &scratch);
    lock.lock();
    if (++done_ == batch_->size()) done_cv_.notify_all();
  }
}

}  // namespace tvault::internal
