// Progressive rollout policy, driven by hand: waves, soak, gates, abort,
// operator commands, the maintenance window and the audit log.

#include <catch2/catch.hpp>

#include <vector>

#include "meshota/core/rollout/rollout_controller.hpp"

using namespace meshota::core;
using K = RolloutAudit::Kind;

namespace {

constexpr Instant at(int64_t s) { return Instant{s * 1000000}; }

struct Fleet {
  explicit Fleet(uint32_t n, RolloutConfig c = {}) : nodes(n), ctl((init(n), c), nodes) {}
  int init(uint32_t n) {
    for (uint32_t i = 0; i < n; ++i) nodes[i].id = 100 + i;
    return 0;
  }
  std::vector<NodeId> granted() const {
    std::vector<NodeId> g;
    for (const RolloutNode& n : nodes)
      if (ctl.may_install(n.id)) g.push_back(n.id);
    return g;
  }
  void wave_reports(uint8_t wave, RolloutNodeState s, int64_t t) {
    for (const RolloutNode& n : nodes)
      if (n.wave == wave) ctl.report(at(t), n.id, s);
  }
  std::vector<K> kinds() const {
    std::vector<K> k;
    for (uint32_t i = 0; i < ctl.audit_count(); ++i) k.push_back(ctl.audit(i).kind);
    return k;
  }
  std::vector<RolloutNode> nodes;
  RolloutController ctl;
};

}  // namespace

TEST_CASE("rollout: 5 % canary, 25 %, 100 %: each wave runs, soaks and passes its gate") {
  Fleet f(100);
  f.ctl.start(at(0));
  CHECK(f.ctl.wave_size(0) == 5);
  CHECK(f.ctl.wave_size(1) == 20);
  CHECK(f.ctl.wave_size(2) == 75);
  CHECK(f.granted().size() == 5);
  f.wave_reports(0, RolloutNodeState::kTrial, 10);
  f.wave_reports(0, RolloutNodeState::kConfirmed, 20);
  CHECK(f.ctl.phase() == RolloutPhase::kSoaking);
  CHECK(f.ctl.poll(at(30)) == at(80));  // soak 60 s from the last report
  f.ctl.poll(at(80));
  CHECK(f.ctl.wave() == 1);
  CHECK(f.granted().size() == 25);  // earlier waves stay granted
  f.wave_reports(1, RolloutNodeState::kConfirmed, 100);
  f.ctl.poll(at(160));
  f.wave_reports(2, RolloutNodeState::kConfirmed, 200);
  f.ctl.poll(at(260));
  CHECK(f.ctl.phase() == RolloutPhase::kDone);
  CHECK(f.kinds() == std::vector<K>{K::kStart, K::kWaveStart, K::kWaveRan, K::kAdvance, K::kWaveStart, K::kWaveRan,
                                    K::kAdvance, K::kWaveStart, K::kWaveRan, K::kAdvance, K::kDone});
  const RolloutAudit& adv = f.ctl.audit(3);
  CHECK(adv.wave_size == 5);
  CHECK(adv.confirmed == 5);
  CHECK(adv.threshold_pm == 950);
}

TEST_CASE("rollout: a bad image is stopped in the canary wave and only its nodes roll back") {
  Fleet f(100);
  f.ctl.start(at(0));
  f.wave_reports(0, RolloutNodeState::kTrial, 5);
  // One canary reverts (crash on trial), another confirmed then fails later: 20 % error threshold.
  f.ctl.report(at(10), 100, RolloutNodeState::kConfirmed);
  f.ctl.report(at(11), 101, RolloutNodeState::kFailed);
  CHECK(f.ctl.phase() == RolloutPhase::kAborted);
  CHECK(f.granted().empty());
  uint32_t back = 0, exposed = 0;
  for (const RolloutNode& n : f.nodes) {
    back += f.ctl.must_roll_back(n.id) ? 1 : 0;
    exposed += n.wave == 0 ? 1 : 0;
    if (n.wave > 0) CHECK(n.state == RolloutNodeState::kWaiting);  // never granted
  }
  CHECK(back == 4);  // the confirmed one and the three still on trial
  CHECK(exposed == 5);
  const RolloutAudit& abort = f.ctl.audit(f.ctl.audit_count() - 1);
  CHECK(abort.kind == K::kAbort);
  CHECK(abort.failed == 1);
  CHECK(abort.executed == 2);
  CHECK(abort.threshold_pm == 200);
  f.ctl.report(at(30), 100, RolloutNodeState::kRolledBack);
  CHECK_FALSE(f.ctl.must_roll_back(100));
}

TEST_CASE("rollout: a wave that cannot show success stops at the end of its soak") {
  RolloutConfig c;
  c.min_executed = 50;  // errors are not judged this early
  Fleet f(20, c);
  f.ctl.start(at(0));
  REQUIRE(f.ctl.wave_size(0) == 1);
  // The canary never reports: the wave is judged at its timeout, then after its soak.
  CHECK(f.ctl.poll(at(1)) == at(900));
  f.ctl.poll(at(900));
  CHECK(f.ctl.phase() == RolloutPhase::kSoaking);
  f.ctl.poll(at(960));
  CHECK(f.ctl.phase() == RolloutPhase::kAborted);
  CHECK(f.ctl.audit(f.ctl.audit_count() - 1).threshold_pm == 950);
}

TEST_CASE("rollout: pause holds grants, approve starts a wave, abort stops everything") {
  RolloutConfig c;
  c.approve_each_wave = true;
  Fleet f(40, c);
  f.ctl.start(at(0));
  f.ctl.pause(at(1));
  CHECK(f.granted().empty());
  f.ctl.resume(at(2));
  CHECK(f.granted().size() == 2);
  f.wave_reports(0, RolloutNodeState::kConfirmed, 3);
  f.ctl.poll(at(63));
  CHECK(f.ctl.phase() == RolloutPhase::kAwaitingApproval);
  CHECK(f.granted().empty());
  f.ctl.approve(at(70));
  CHECK(f.granted().size() == 10);
  f.ctl.abort(at(71));
  CHECK(f.ctl.phase() == RolloutPhase::kAborted);
  CHECK(f.granted().empty());
  CHECK(f.kinds().back() == K::kAbort);
}

TEST_CASE("rollout: installs are granted only inside the maintenance window") {
  RolloutConfig c;
  c.window_period = Duration::seconds(86400);
  c.window_start = Duration::seconds(7200);  // 02:00 - 04:00
  c.window_end = Duration::seconds(14400);
  Fleet f(10, c);
  f.ctl.start(at(3600));
  CHECK(f.granted().empty());
  CHECK(f.ctl.poll(at(3600)) == at(7200));
  f.ctl.poll(at(7200));
  CHECK(f.granted().size() == 1);
  CHECK(f.kinds()[1] == K::kWindowWait);
}

TEST_CASE("rollout: waves by count: 5 canaries, 25 more, then everyone left") {
  RolloutConfig c;
  c.waves_by_count = true;
  c.wave_count = 3;
  c.wave_cumulative_nodes[0] = 5;
  c.wave_cumulative_nodes[1] = 30;
  Fleet f(100, c);
  f.ctl.start(at(0));
  CHECK(f.ctl.wave_size(0) == 5);
  CHECK(f.ctl.wave_size(1) == 25);
  CHECK(f.ctl.wave_size(2) == 70);
  CHECK(f.granted().size() == 5);
}
