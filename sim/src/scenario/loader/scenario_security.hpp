#pragma once
// Private to the scenario loader: ota.signing (which key signs, which key the
// nodes trust), the security counters, and the `attackers:` list of hostile
// nodes (docs/security.md).

#include "meshota/sim/scenario/scenario.hpp"
#include "scenario_fields.hpp"

namespace meshota::sim::detail {

/// ota.signing and ota.security_counter / device_security_counter (call from the ota section, meshota only).
void read_signing(const Section& ota, Scenario& sc);
/// attackers: checked against the node count, the sender and the protocol (call after ota).
void read_attackers(const Section& top, Scenario& sc);

}  // namespace meshota::sim::detail
