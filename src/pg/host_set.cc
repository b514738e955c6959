#include "loader/pg/host_set.h"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <string_view>

#include "loader/base/redact.h"

namespace loader {
namespace {

std::vector<std::string> SplitCommas(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t comma; (comma = list.find(',', start)) != std::string_view::npos; start = comma + 1) {
    out.emplace_back(list.substr(start, comma - start));
  }
  out.emplace_back(list.substr(start));
  return out;
}

// A value as libpq's key=value syntax reads it back, whatever it holds.
void AppendSetting(std::string_view key, std::string_view value, std::string* out) {
  if (!out->empty()) *out += ' ';
  *out += key;
  *out += "='";
  for (char c : value) {
    if (c == '\'' || c == '\\') *out += '\\';
    *out += c;
  }
  *out += '\'';
}

bool IsHostList(std::string_view key) {
  return key == "host" || key == "hostaddr" || key == "port";
}

}  // namespace

std::vector<std::string> ExpandHosts(const std::string& conninfo) {
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), nullptr);
  if (opts == nullptr) return {conninfo};
  size_t hosts = 0;
  for (const PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    const std::string_view key = o->keyword;
    if (o->val != nullptr && (key == "host" || key == "hostaddr")) {
      hosts = std::max(hosts, SplitCommas(o->val).size());
    }
  }
  std::vector<std::string> out;
  if (hosts <= 1) {
    out.push_back(conninfo);
  } else {
    out.resize(hosts);
    for (const PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
      if (o->val == nullptr || o->val[0] == '\0') continue;
      // libpq applies a list of one (a single port) to every host.
      const std::vector<std::string> values =
          IsHostList(o->keyword) ? SplitCommas(o->val) : std::vector<std::string>{o->val};
      for (size_t h = 0; h < hosts; ++h) {
        const size_t at = values.size() == 1 ? 0 : h;
        if (at < values.size() && !values[at].empty())
          AppendSetting(o->keyword, values[at], &out[h]);
      }
    }
  }
  PQconninfoFree(opts);
  return out;
}

HostSet::HostSet(std::vector<std::string> conninfos, Backoff backoff,
                 std::chrono::milliseconds statement_timeout)
    : backoff_(backoff), statement_timeout_(statement_timeout) {
  for (std::string& c : conninfos) {
    auto host = std::make_unique<Host>();
    host->name = HostOf(c);
    host->conninfo = std::move(c);
    hosts_.push_back(std::move(host));
  }
}

bool HostSet::Usable(size_t i, Clock::time_point now) const {
  const int64_t until = hosts_[i]->down_until.load(std::memory_order_relaxed);
  return until == 0 || until <= now.time_since_epoch().count();
}

void HostSet::TryOrder(size_t home, Clock::time_point now, std::vector<size_t>* order) const {
  order->clear();
  for (size_t k = 0; k < hosts_.size(); ++k) order->push_back((home + k) % hosts_.size());
  std::stable_partition(order->begin(), order->end(), [&](size_t i) { return Usable(i, now); });
  const auto backing_off =
      std::find_if(order->begin(), order->end(), [&](size_t i) { return !Usable(i, now); });
  std::stable_sort(backing_off, order->end(), [&](size_t a, size_t b) {
    return hosts_[a]->down_until.load(std::memory_order_relaxed) <
           hosts_[b]->down_until.load(std::memory_order_relaxed);
  });
}

void HostSet::MarkDown(size_t i, Clock::time_point now, uint64_t random) {
  Host& host = *hosts_[i];
  const int failures = host.failures.fetch_add(1, std::memory_order_relaxed) + 1;
  const auto until = now + backoff_.Delay(failures, random);
  host.down_until.store(std::max<int64_t>(1, until.time_since_epoch().count()),
                        std::memory_order_relaxed);
}

void HostSet::MarkUp(size_t i) {
  Host& host = *hosts_[i];
  if (host.down_until.load(std::memory_order_relaxed) == 0) return;
  host.failures.store(0, std::memory_order_relaxed);
  host.down_until.store(0, std::memory_order_relaxed);
}

Status HostSet::ConnectAny(std::unique_ptr<Connection>* out, size_t* host) {
  std::vector<size_t> order;
  TryOrder(0, Clock::now(), &order);
  Status s;
  for (size_t h : order) {
    s = Open(h, out);
    if (s.ok() && !session_sql_.empty()) {
      s = (*out)->Exec(session_sql_.c_str());
      if (!s.ok()) out->reset();
    }
    if (s.ok()) {
      MarkUp(h);
      *host = h;
      return s;
    }
    const std::string where =
        conninfo(h).empty() ? "the server named by PG* variables" : RedactConninfo(conninfo(h));
    s = s.WithContext("connecting to " + where);
    if (s.code() != Status::Code::kConnectionFailed) return s;
    MarkDown(h, Clock::now(), h);
    if (size() > 1) spdlog::warn("{}", s.ToString());
  }
  return s;
}

}  // namespace loader
