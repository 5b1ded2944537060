#pragma once
// The trial image's health check, as a component: a new image boots on trial
// (BootControl::on_trial) and confirms itself only once it has been up for
// confirm_after, has rejoined the mesh since it booted (a frame from it, or the
// host's mesh_joined()), and the application's own check says healthy. Still not healthy at give_up_after,
// it fails: the previous image boots next, and the node restarts into it. A
// crash or a reset before either leaves the trial unconfirmed, which the
// bootloader reverts. ESP-IDF leaves this policy to the application; this is
// the one meshota ships (docs/safe-updates.md).

#include <cstdint>

#include "meshota/core/component.hpp"
#include "meshota/core/hal/boot_control.hpp"

namespace meshota::core {

/// The application's own verdict on the running image (its sensors answer, its tasks run...).
class AppHealth {
 public:
  virtual bool healthy(Instant now) = 0;

 protected:
  ~AppHealth() = default;
};

/// When a trial image counts as healthy; defaults in docs/safe-updates.md.
struct HealthCheckConfig {
  Duration confirm_after = Duration::seconds(30);   ///< up this long on trial before confirming
  Duration give_up_after = Duration::seconds(180);  ///< not healthy by then: the image fails
  Duration recheck = Duration::seconds(1);          ///< how often a not-yet-healthy image is checked again
  bool require_mesh = true;                         ///< a frame from the mesh heard since the boot
};

/// How the trial ended, as far as this boot saw.
enum class HealthVerdict : uint8_t { kNotOnTrial, kPending, kConfirmed, kFailed, kFlashError };

/// The trial image's health check (see file comment).
class HealthCheck final : public Component {
 public:
  HealthCheck(const HealthCheckConfig& config, BootControl& boot, AppHealth* app = nullptr)
      : config_(config), boot_(boot), app_(app) {}

  void on_boot(Instant now) override;
  void on_package(Instant, const JsonReader&, int, Outbox&) override { heard_mesh_ = true; }
  void on_message(Instant, NodeId, std::span<const uint8_t>, Outbox&) override { heard_mesh_ = true; }
  /// The host saw the node (re)join the mesh: painlessMesh's onNewConnection / onChangedConnections,
  /// whose node-sync packages the library keeps to itself.
  void mesh_joined() { heard_mesh_ = true; }
  Instant poll(Instant now, Outbox& out) override;

  HealthVerdict verdict() const { return verdict_; }
  Instant decided_at() const { return decided_at_; }

 private:
  bool healthy(Instant now);

  HealthCheckConfig config_;
  BootControl& boot_;
  AppHealth* app_;
  Instant booted_at_ = Instant{0};
  Instant decided_at_ = Instant::never();
  bool heard_mesh_ = false;
  HealthVerdict verdict_ = HealthVerdict::kNotOnTrial;
};

}  // namespace meshota::core
