#include "meshota/core/boot/health_check.hpp"

namespace meshota::core {

void HealthCheck::on_boot(Instant now) {
  booted_at_ = now;
  decided_at_ = Instant::never();
  heard_mesh_ = false;
  verdict_ = boot_.on_trial() ? HealthVerdict::kPending : HealthVerdict::kNotOnTrial;
}

bool HealthCheck::healthy(Instant now) {
  if (config_.require_mesh && !heard_mesh_) return false;
  return app_ == nullptr || app_->healthy(now);
}

Instant HealthCheck::poll(Instant now, Outbox& out) {
  if (verdict_ != HealthVerdict::kPending) return Instant::never();
  const Instant confirm_at = booted_at_ + config_.confirm_after;
  if (now < confirm_at) return confirm_at;
  if (healthy(now)) {
    verdict_ = boot_.confirm() ? HealthVerdict::kConfirmed : HealthVerdict::kFlashError;
    decided_at_ = now;
    return Instant::never();
  }
  if (now >= booted_at_ + config_.give_up_after) {
    decided_at_ = now;
    if (boot_.fail_health()) {
      verdict_ = HealthVerdict::kFailed;
      out.request_reboot();
    } else {
      verdict_ = HealthVerdict::kFlashError;  // the record could not be written: the next reset reverts anyway
    }
    return Instant::never();
  }
  const Instant next = now + config_.recheck;
  const Instant give_up = booted_at_ + config_.give_up_after;
  return next < give_up ? next : give_up;
}

}  // namespace meshota::core
