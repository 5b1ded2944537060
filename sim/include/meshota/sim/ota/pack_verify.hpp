#pragma once
// What `meshota verify` checks of a pack file, in the order a node checks it
// (docs/signing.md), with the core's own code: decode_manifest_header, the
// Ed25519 signature over header bytes [0, 128), the anti-rollback counter,
// PageTableChecker, each unit against its page-table hash, and ImageWriter
// (inflate each unit to exactly its page, then the whole image against its
// SHA-256) writing into an emulated flash slot.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meshota/core/hal/signature_verifier.hpp"
#include "meshota/core/ota/manifest.hpp"
#include "meshota/sim/ota/pack_file.hpp"

namespace meshota::sim {

/// What verify_pack checks against.
struct VerifyOptions {
  core::PublicKey key;                    ///< who must have signed the header
  std::optional<uint32_t> device_counter; ///< the device's anti-rollback counter, when known
};

/// How verify_pack ended.
enum class VerifyOutcome : uint8_t {
  kOk,         ///< every check passed
  kFailed,     ///< a well-formed pack a device would refuse (exit 1)
  kMalformed,  ///< not a well-formed pack: a header that does not decode, sizes that do not add up (exit 2)
};

/// Each passed check as one line, then the first failure, if any.
struct VerifyReport {
  VerifyOutcome outcome = VerifyOutcome::kOk;
  std::vector<std::string> passed;
  std::string failure;  ///< "byte N (what is there): what is wrong; what to do"
  core::ManifestHeader header;
};

/// Checks `pack` (see file comment); stops at the first failure.
VerifyReport verify_pack(const PackFile& pack, const VerifyOptions& options);

/// Where in the 192-byte header the field a ManifestStatus complains about starts, and what is wrong.
struct HeaderFault {
  uint32_t offset = 0;
  std::string what;
};
HeaderFault describe_header_status(core::ManifestStatus status);

}  // namespace meshota::sim
