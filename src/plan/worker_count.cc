#include "loader/plan/worker_count.h"

#include <algorithm>
#include <thread>

namespace loader {

WorkerCount ChooseWorkers(std::optional<int> requested, int free_slots) {
  if (requested) return {*requested, *requested, "--workers"};
  WorkerCount count{kAutoStartWorkers, kAutoMostWorkers, ""};
  std::string bound = "at most " + std::to_string(kAutoMostWorkers);
  if (free_slots >= 0 && free_slots / 2 < kAutoMostWorkers) {
    count.most = std::max(1, free_slots / 2);
    bound = "at most " + std::to_string(count.most) + ": half of the server's " +
            std::to_string(free_slots) + " free connection slots";
  } else if (free_slots < 0) {
    bound += "; the server's free connection slots are not known";
  }
  count.start = std::min(count.start, count.most);
  count.reason = "auto: adding connections while that raises the rows/s, " + bound;
  return count;
}

int FileWorkers(std::optional<int> requested) {
  return requested.value_or(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

}  // namespace loader
