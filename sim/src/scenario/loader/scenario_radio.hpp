#pragma once
// Private to the scenario loader: the radio parts of a scenario (medium.radio,
// its per-link tables) and the checks that need the node count.

#include "meshota/sim/scenario/scenario.hpp"
#include "scenario_fields.hpp"

namespace meshota::sim::detail {

/// medium.radio: propagation, PHY, MAC and receiver-side loss of the shared channel.
void read_radio(const Section& medium, MediumSpec& m);

/// The loss model of a `loss:` mapping (medium.loss, medium.radio.loss, link_loss items).
void read_loss_fields(const Section& s, LossSpec& l);

/// Node ids named by the radio tables exist (called once the node count is known).
void check_radio_nodes(const Scenario& sc);

}  // namespace meshota::sim::detail
