#include "loader/exec/worker_pool.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <exception>
#include <string>

namespace loader {

WorkerPool::WorkerPool(int workers, std::function<void()> stop, int most)
    : pool_(static_cast<size_t>(std::max(workers, most))),
      workers_(workers),
      most_(std::max(workers, most)),
      stop_(std::move(stop)) {}

WorkerPool::~WorkerPool() { pool_.join(); }

void WorkerPool::Start(const std::function<Status(int worker)>& task) {
  task_ = task;
  for (; started_ < workers_; ++started_) Run(started_);
}

int WorkerPool::Add(int n) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return 0;
  }
  const int from = started_;
  for (; started_ < std::min(most_, from + n); ++started_) Run(started_);
  return started_ - from;
}

void WorkerPool::Run(int w) {
  boost::asio::post(pool_, [this, w]() noexcept {
    const std::string who = "worker " + std::to_string(w) + ": ";
    try {
      const Status s = task_(w);
      if (!s.ok()) Fail(s);
    } catch (const std::exception& e) {
      Fail(Status::Internal(who + e.what()));
    } catch (...) {
      Fail(Status::Internal(who + "unknown exception"));
    }
  });
}

void WorkerPool::Record(const Status& s) {
  std::lock_guard<std::mutex> lock(mu_);
  if (first_failure_.ok()) first_failure_ = s;
}

void WorkerPool::Fail(const Status& s) {
  bool stop = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (first_failure_.ok()) first_failure_ = s;
    stop = !stopped_;
    stopped_ = true;
  }
  if (stop && stop_) stop_();
}

Status WorkerPool::Join() {
  pool_.join();
  std::lock_guard<std::mutex> lock(mu_);
  return first_failure_;
}

}  // namespace loader
