#pragma once
// Signing a manifest: Ed25519 over header bytes [0, 128) (everything but the
// signature field), written into header bytes [128, 192). The page table is
// covered through the header's page_table_sha256, every page through its entry
// in the table, so one signature authenticates the whole image
// (docs/signing.md).

#include <cstdint>
#include <span>
#include <string>

#include "meshota/core/hal/signature_verifier.hpp"
#include "meshota/sim/crypto/ed25519.hpp"

namespace meshota::sim {

/// Writes `key`'s signature of `manifest`'s signed bytes into its signature field. False when
/// `manifest` is shorter than a header.
bool sign_manifest(std::span<uint8_t> manifest, const KeyPair& key);
/// Whether `manifest`'s signature field holds `key`'s signature of its signed bytes.
bool manifest_signed_by(std::span<const uint8_t> manifest, const core::PublicKey& key);
/// Whether the signature field is all zero (an unsigned manifest).
bool manifest_unsigned(std::span<const uint8_t> manifest);
/// The key pair a scenario's `key_seed` integer names: the seed is the integer little-endian in
/// the first 8 of its 32 bytes, the rest zero (reproducible runs, never a key for real devices).
KeyPair key_pair_from_number(uint64_t n);

}  // namespace meshota::sim
