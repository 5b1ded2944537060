// docs/safe-updates.md shows the rollback state machine's table; this test
// renders boot_table_begin()..end() the same way and compares, so the doc
// cannot drift from the code. On a mismatch it prints the table to paste.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "meshota/core/boot/boot_state_machine.hpp"

using namespace meshota::core;

namespace {

const char* state_name(SlotState s) {
  static const char* const kNames[kSlotStateCount] = {"Empty", "New", "PendingVerify", "Valid", "Invalid", "Aborted"};
  return kNames[static_cast<uint8_t>(s)];
}

const char* event_name(BootEvent e) {
  static const char* const kNames[kBootEventCount] = {"stage",   "boot-intact",   "boot-corrupt",
                                                      "confirm", "health-failed", "roll-back"};
  return kNames[static_cast<uint8_t>(e)];
}

const char* reason_name(RevertReason r) {
  static const char* const kNames[] = {"-", "trial-not-confirmed", "health-check-failed", "image-check-failed",
                                       "rolled-back"};
  return kNames[static_cast<uint8_t>(r)];
}

std::string actions_text(uint16_t a) {
  static const char* const kBits[] = {"set-boot-slot", "start-trial", "count-trial", "revert", "raise-counter",
                                      "commit",        "run",         "reboot",      "refused"};
  std::string out;
  for (uint16_t bit = 0; bit < sizeof(kBits) / sizeof(kBits[0]); ++bit)
    if (a & (1u << bit)) out += (out.empty() ? "" : " + ") + std::string(kBits[bit]);
  return out.empty() ? "none" : out;
}

/// The table as docs/safe-updates.md shows it, between its markers.
std::string render_table() {
  std::ostringstream o;
  o << "| state | event | trial budget | next state | actions | revert reason |\n";
  o << "|---|---|---|---|---|---|\n";
  for (const BootTransition* t = boot_table_begin(); t != boot_table_end(); ++t) {
    const bool budgeted = t->from == SlotState::kPendingVerify && t->event == BootEvent::kBootIntact;
    o << "| " << state_name(t->from) << " | " << event_name(t->event) << " | "
      << (budgeted ? (t->trial_spent ? "spent" : "left") : "any") << " | " << state_name(t->to) << " | "
      << actions_text(t->actions) << " | " << reason_name(t->reason) << " |\n";
  }
  return o.str();
}

/// The lines between `begin` and `end` marker lines of `path`; empty when a marker is missing.
std::string between_markers(const std::string& path, const std::string& begin, const std::string& end) {
  std::ifstream in(path);
  std::string line, out;
  bool inside = false, closed = false;
  while (std::getline(in, line)) {
    if (line == begin) {
      inside = true;
    } else if (line == end) {
      closed = inside;
      break;
    } else if (inside) {
      out += line + "\n";
    }
  }
  return closed ? out : std::string();
}

}  // namespace

TEST_CASE("boot table: docs/safe-updates.md shows exactly the table of boot_state_machine.cpp", "[safety][boot]") {
  const std::string doc = between_markers(std::string(MESHOTA_SOURCE_DIR) + "/docs/safe-updates.md",
                                          "<!-- boot-table:begin -->", "<!-- boot-table:end -->");
  const std::string code = render_table();
  INFO("the table to paste between the markers:\n" << code);
  CHECK(doc == code);
}
