// The node's beat: its row, the stale processes' jobs, its session, its roles and its shares of the desk.
#include <algorithm>

#include "cluster/node.hpp"
#include "core/failure_log.hpp"

namespace tb::cluster {

namespace {

// Lock keys: "tb_cl" in the high bytes, away from the migration lock's; roles from 1, desk shares from 0x1000.
constexpr int64_t kKeyBase = 0x74625f636c000000;
int64_t role_key(size_t i) { return kKeyBase + 1 + static_cast<int64_t>(i); }
int64_t shard_key(size_t i) { return kKeyBase + 0x1000 + static_cast<int64_t>(i); }

}  // namespace

std::vector<std::string> Node::roles() const {
  std::vector<std::string> out;
  for (const auto& r : roles_)
    if (r.held) out.push_back(r.role.name);
  for (size_t i = 0; i < shards_.size(); ++i)
    if (shards_[i]) out.push_back("desk/" + std::to_string(i));
  return out;
}

void Node::tick() {
  if (!coordination_ || stopping_) return;
  const int64_t now = clock_.now_ms();
  auto same = coordination_->check();
  if (!same) {
    log_ << "cluster: the coordination session is lost (" << same.error().message << "); roles and shares stop until it is back\n";
    session_lost();
    return;
  }
  if (!*same) session_lost();
  take_roles();
  balance_shards(now);
  beat();
  sweep_stale(now);
  drain();  // notifications that came in while this beat's statements ran
}

void Node::session_lost() {
  ++session_;
  deliver_unsent();
  std::fill(shards_.begin(), shards_.end(), false);
  for (auto& r : roles_) {
    if (!r.held) continue;
    r.held = false;
    r.retired = !r.role.restartable;
    log_ << "cluster: " << self_.id << " lost the role " << r.role.name << "\n";
    if (r.role.stop) r.role.stop();
  }
}

void Node::take_roles() {
  for (size_t i = 0; i < roles_.size(); ++i) {
    Held& r = roles_[i];
    if (r.held || r.retired) continue;
    auto got = coordination_->try_lock(role_key(i));
    const bool first = !r.tried;
    r.tried = true;
    if (got && !*got && first && r.role.elsewhere) r.role.elsewhere();
    if (!got || !*got) continue;
    r.held = true;
    log_ << "cluster: " << self_.id << " took the role " << r.role.name << "\n";
    if (r.role.start) r.role.start();
  }
}

// Takes free shares up to the fair part; gives extra ones back (the highest first) while the desk is idle.
void Node::balance_shards(int64_t now) {
  size_t live = 1;  // this process
  if (auto rows = store_.list_processes())
    for (const auto& p : *rows)
      if (p.id != self_.id && now - p.beat_ms <= options_.live_within.count()) ++live;
  const size_t fair = (shards_.size() + live - 1) / live;
  size_t held = static_cast<size_t>(std::count(shards_.begin(), shards_.end(), true));
  for (size_t i = 0; i < shards_.size() && held < fair; ++i) {
    if (shards_[i]) continue;
    auto got = coordination_->try_lock(shard_key(i));
    if (got && *got) {
      shards_[i] = true;
      ++held;
    }
  }
  if (held <= fair || (desk_idle && !desk_idle())) return;
  for (size_t i = shards_.size(); i-- > 0 && held > fair;) {
    if (!shards_[i] || !logged("give back a share of the desk", coordination_->unlock(shard_key(i)))) continue;
    shards_[i] = false;
    --held;
  }
}

void Node::beat() {
  self_.beat_ms = clock_.now_ms();
  self_.roles.clear();
  for (const auto& r : roles()) self_.roles += (self_.roles.empty() ? "" : ",") + r;
  logged("beat this process's row", store_.beat_process(self_));
}

// A process silent for stale_after died (or hangs): its jobs go back to the queue now, its row goes.
void Node::sweep_stale(int64_t now) {
  auto rows = store_.list_processes();
  if (!rows) return;
  for (const auto& p : *rows) {
    if (p.id == self_.id || now - p.beat_ms <= options_.stale_after.count()) continue;
    auto n = store_.release_jobs_of(p.id);
    if (!logged("hand back a silent process's jobs", n)) continue;
    log_ << "cluster: " << p.id << " has been silent for " << (now - p.beat_ms) / 1000 << " s: " << *n << " of its jobs handed back\n";
    logged("remove a silent process's row", store_.remove_process(p.id));
  }
}

}  // namespace tb::cluster
