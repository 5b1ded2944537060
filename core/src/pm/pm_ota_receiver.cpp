#include "meshota/core/pm/pm_ota_receiver.hpp"

#include "meshota/core/codec/base64.hpp"
#include "meshota/core/codec/json_writer.hpp"
#include "meshota/core/pm/pm_codec.hpp"

namespace meshota::core {

PmOtaReceiver::PmOtaReceiver(NodeId self, bool is_root, std::string_view hardware,
                             std::string_view role, const PmOtaConfig& config, Hal& hal)
    : self_(self), is_root_(is_root), config_(config), hal_(hal), update_(hal) {
  hardware_.assign(hardware);
  role_.assign(role);
}

void PmOtaReceiver::on_boot(Instant) { load_installed(); }

bool PmOtaReceiver::listening_without_timer() const {
  if (update_md5_.empty() || !update_broadcasted_) return false;
  for (const RequestTask& t : tasks_)
    if (t.enabled) return false;
  return true;
}

void PmOtaReceiver::load_installed() {
  uint8_t buf[256];
  const int32_t n = hal_.state.read(kStateKey, buf);
  if (n <= 0) return;
  JsonReader json;
  if (!json.parse(std::string_view(reinterpret_cast<const char*>(buf), static_cast<size_t>(n)))) return;
  char role_buf[32], hardware_buf[16], md5_buf[32];
  std::string_view role, hardware, md5;
  if (!json.get_string("role", role_buf, role) || !json.get_string("hardware", hardware_buf, hardware) ||
      !json.get_string("md5", md5_buf, md5))
    return;
  if (role_ == role && hardware_ == hardware) current_md5_.assign(md5);
}

void PmOtaReceiver::persist_installed() {
  // ota::State::addTo: role, md5, hardware, broadcasted, compressed.
  uint8_t buf[256];
  JsonWriter w(buf);
  w.begin_object();
  w.field_string("role", role_.view());
  w.field_string("md5", update_md5_.view());
  w.field_string("hardware", hardware_.view());
  w.field_bool("broadcasted", update_broadcasted_);
  w.field_bool("compressed", update_compressed_);
  w.end_object();
  if (w.ok()) hal_.state.write(kStateKey, std::span<const uint8_t>(buf, w.size()));
}

void PmOtaReceiver::on_package(Instant now, const JsonReader& json, int type, Outbox& out) {
  if (type != static_cast<int>(PmType::kOtaAnnounce) && type != static_cast<int>(PmType::kOtaData)) return;
  PmOtaPackage pkg;
  if (pm_decode(json, pkg) != PmDecodeStatus::kOk) return;
  if (pkg.type == PmType::kOtaAnnounce) on_announce(now, pkg, out);
  else on_data(now, pkg, out);
}

void PmOtaReceiver::on_announce(Instant now, const PmOtaPackage& pkg, Outbox& out) {
  if (!(role_ == pkg.role.view() && hardware_ == pkg.hardware.view())) return;
  // Either already have it, or already updating to it.
  if ((current_md5_ == pkg.md5 && !pkg.forced) || update_md5_ == pkg.md5) return;
  update_md5_ = pkg.md5;
  update_broadcasted_ = pkg.broadcasted;
  update_compressed_ = pkg.compressed;
  no_part_ = pkg.no_part;
  ++stats_.announces_accepted;
  // In broadcasted mode only the root requests; everyone else just listens.
  if (pkg.broadcasted && !is_root_) return;
  PmOtaPackage req = pkg;  // DataRequest::replyTo(announce, self, partNo)
  req.type = PmType::kOtaDataRequest;
  req.routing = Routing::kSingle;
  req.dest = pkg.from;
  req.from = self_;
  req.part_no = part_no_;
  start_task(now, req, out);
}

PmOtaPackage PmOtaReceiver::reply_to(const PmOtaPackage& data, uint32_t part_no) {
  // DataRequest::replyTo(const Data&): `from` is the Data's `dest`. For a
  // broadcast chunk that is the root, not this node: upstream behaviour, kept.
  PmOtaPackage req = data;
  req.type = PmType::kOtaDataRequest;
  req.routing = Routing::kSingle;
  req.from = data.dest;
  req.dest = data.from;
  req.part_no = part_no;
  req.data_base64 = {};
  return req;
}

void PmOtaReceiver::on_data(Instant now, const PmOtaPackage& pkg, Outbox& out) {
  if (!(update_md5_ == pkg.md5 && role_ == pkg.role.view() && hardware_ == pkg.hardware.view())) return;
  if (part_no_ != pkg.part_no) {
    ++stats_.out_of_order;
    // Out of sequence in broadcasted mode: drop back to unicast requests.
    if (update_broadcasted_ && pkg.broadcasted) {
      update_broadcasted_ = false;
      PmOtaPackage req = reply_to(pkg, part_no_);
      req.broadcasted = false;
      ++stats_.unicast_fallbacks;
      start_task(now, req, out);
    }
    return;
  }
  if (stats_.first_data_at == Instant::never()) stats_.first_data_at = now;
  if (pkg.part_no == 0) {
    if (update_.running()) update_.abort();
    update_.begin(std::span<const char>(pkg.md5.view().data(), pkg.md5.view().size()));
  }
  if (!write_part(pkg)) {
    update_.abort();
    ++stats_.write_failures;
    update_md5_.clear();
    part_no_ = 0;
    return;
  }
  ++stats_.parts_written;
  if (part_requested_at_ != Instant::never()) {
    const int64_t wait = (now - part_requested_at_).us;
    stats_.part_wait_us += wait;
    ++stats_.parts_timed;
    if (wait > stats_.max_part_wait_us) stats_.max_part_wait_us = wait;
    part_requested_at_ = Instant::never();
  }
  RequestTask* task = current_task_ >= 0 ? &tasks_[current_task_] : nullptr;
  if (pkg.part_no == pkg.no_part - 1) {
    if (update_.finish() == UpdateEnd::kOk) {
      persist_installed();
      stats_.completed_at = now;
      reboot_at_ = now + config_.reboot_delay;
    } else {
      ++stats_.md5_failures;
      update_md5_.clear();
      part_no_ = 0;
    }
    if (task != nullptr) {
      task->abandon_on_disable = false;
      task->enabled = false;
    }
    return;
  }
  ++part_no_;
  if (task != nullptr) {
    // task->setCallback(next request); task->restart(): fresh iterations, runs now.
    task->request = reply_to(pkg, part_no_);
    task->enabled = true;
    task->iterations_left = config_.request_attempts;
    task->next_at = now;
    part_requested_at_ = now;
    run_task(*task, now, out, true);
  }
}

bool PmOtaReceiver::write_part(const PmOtaPackage& pkg) {
  const int64_t n = base64_decode(pkg.data_base64, chunk_);
  if (n < 0) return false;
  return update_.write(std::span<const uint8_t>(chunk_, static_cast<size_t>(n)));
}

void PmOtaReceiver::start_task(Instant now, const PmOtaPackage& request, Outbox& out) {
  // updateFW->task = mesh.addTask(...): a task still running under the old
  // pointer keeps running, and its onDisable still abandons the update.
  if (current_task_ >= 0 && tasks_[current_task_].enabled) ++stats_.orphan_tasks;
  int slot = -1;
  for (uint32_t i = 0; i < kMaxTasks; ++i)
    if (!tasks_[i].enabled) {
      slot = static_cast<int>(i);
      break;
    }
  if (slot < 0) slot = current_task_ >= 0 ? current_task_ : 0;  // bounded: reuse the current one
  RequestTask& t = tasks_[slot];
  t.enabled = true;
  t.abandon_on_disable = true;
  t.iterations_left = config_.request_attempts;
  t.next_at = now;
  t.request = request;
  current_task_ = slot;
  part_requested_at_ = now;
  run_task(t, now, out, true);
}

void PmOtaReceiver::send_request(const PmOtaPackage& request, Outbox& out) {
  const size_t n = pm_encode(request, out.reserve());
  if (n == 0 || !out.commit(request.dest, Routing::kSingle, n)) {
    out.count_overflow();
    return;
  }
  ++stats_.requests_sent;
}

void PmOtaReceiver::run_task(RequestTask& t, Instant now, Outbox& out, bool first) {
  if (stats_.first_request_at == Instant::never()) stats_.first_request_at = now;
  send_request(t.request, out);
  if (!first) ++stats_.request_retries;
  if (--t.iterations_left == 0) {
    // TaskScheduler disables the task on its next pass, right after the last
    // send, so the reply to that last send is ignored if abandoning.
    t.enabled = false;
    if (t.abandon_on_disable) {
      update_md5_.clear();
      ++stats_.abandons;
    }
    return;
  }
  t.next_at = now + config_.request_interval;
}

Instant PmOtaReceiver::poll(Instant now, Outbox& out) {
  Instant next = Instant::never();
  for (RequestTask& t : tasks_) {
    if (t.enabled && now >= t.next_at) run_task(t, now, out, false);
    if (t.enabled) next = earliest(next, t.next_at);
  }
  if (reboot_at_ <= now) {
    out.request_reboot();
    reboot_at_ = Instant::never();
  }
  return earliest(next, reboot_at_);
}

}  // namespace meshota::core
