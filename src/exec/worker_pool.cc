#include "loader/exec/worker_pool.h"

#include <boost/asio/post.hpp>
#include <exception>
#include <string>

namespace loader {

WorkerPool::WorkerPool(int workers, std::function<void()> stop)
    : pool_(static_cast<size_t>(workers)), workers_(workers), stop_(std::move(stop)) {}

WorkerPool::~WorkerPool() { pool_.join(); }

void WorkerPool::Start(const std::function<Status(int worker)>& task) {
  for (int w = 0; w < workers_; ++w) {
    boost::asio::post(pool_, [this, task, w]() noexcept {
      const std::string who = "worker " + std::to_string(w) + ": ";
      try {
        const Status s = task(w);
        if (!s.ok()) Fail(s);
      } catch (const std::exception& e) {
        Fail(Status::Internal(who + e.what()));
      } catch (...) {
        Fail(Status::Internal(who + "unknown exception"));
      }
    });
  }
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
