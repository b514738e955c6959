// WorkerPool: a task on each of `workers` threads of a boost::asio::thread_pool,
// and on more as they are added (--workers auto), where the first failure wins. Later failures are
// consequences (cancelled work) or independent ones, logged by whoever decided them. Loading into a
// server and writing import files both run their workers on one.
// Thread safety: Record and Fail may be called from any thread; Start and
// Add from one.
#ifndef LOADER_EXEC_WORKER_POOL_H_
#define LOADER_EXEC_WORKER_POOL_H_

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <mutex>

#include "loader/base/status.h"

namespace loader {

class WorkerPool {
 public:
  // `stop` runs once, on the first call of Fail, on the caller's thread: it
  // is how the other workers (and the producer) are told to stop, by
  // cancelling their queues, say. `most`: the workers Add may bring the pool
  // to; 0 is `workers`. REQUIRES: workers >= 1.
  WorkerPool(int workers, std::function<void()> stop, int most = 0);
  // Joins: a pool must not outlive what its tasks use.
  ~WorkerPool();

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs task(w) on each worker w. A task's failure, or an exception out of
  // it (which Asio would otherwise turn into std::terminate), is Fail'ed.
  void Start(const std::function<Status(int worker)>& task);
  // Runs the task on `n` more workers, numbered on from the last, up to
  // `most` in all; none once the pool is stopped. Returns how many started.
  int Add(int n);
  // Workers started so far.
  int workers() const { return started_; }

  // Keeps `s` if it is the first failure; nothing is stopped, so work already
  // handed out can finish (a bad row: the rows before it still commit).
  void Record(const Status& s);
  // Keeps `s` if it is the first failure, and stops the others.
  void Fail(const Status& s);

  // Waits for every task and returns the first failure.
  Status Join();

 private:
  void Run(int w);

  boost::asio::thread_pool pool_;
  const int workers_;
  const int most_;
  int started_ = 0;
  std::function<Status(int worker)> task_;
  const std::function<void()> stop_;
  std::mutex mu_;
  Status first_failure_;
  bool stopped_ = false;
};

}  // namespace loader

#endif  // LOADER_EXEC_WORKER_POOL_H_
