#pragma once
// Everything the core may touch outside itself, bundled so a node is built from one value.

#include "meshota/core/hal/boot_control.hpp"
#include "meshota/core/hal/firmware_store.hpp"
#include "meshota/core/hal/md5_hasher.hpp"
#include "meshota/core/hal/rng.hpp"
#include "meshota/core/hal/state_store.hpp"

namespace meshota::core {

/// The platform services one node uses; all references outlive the node.
struct Hal {
  FirmwareStore& flash;
  BootControl& boot;
  StateStore& state;
  Rng& rng;
  Md5Hasher& md5;
};

}  // namespace meshota::core
