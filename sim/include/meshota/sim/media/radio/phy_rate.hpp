#pragma once
// 802.11 PHY arithmetic: frame airtime per rate, thermal noise, and the bit
// error rates of ns-3's DSSS and NIST error models. Pure functions, so tests
// can check them against the standard's numbers.

#include <cstdint>

#include "meshota/sim/engine/event_queue.hpp"
#include "meshota/sim/media/radio/radio_spec.hpp"

namespace meshota::sim {

/// Bytes of an 802.11 ACK frame (frame control, duration, RA, FCS).
constexpr uint32_t kAckBytes = 14;
/// Largest ESP-NOW payloads: v1 (every ESP-IDF) and v2 (ESP-IDF 5.4+).
constexpr uint32_t kEspNowV1MaxPayload = 250;
constexpr uint32_t kEspNowV2MaxPayload = 1470;
/// DSSS long preamble (144 bits) + PLCP header (48 bits), always at 1 Mbit/s.
constexpr SimTime kDsssPreambleNs = 192 * kNsPerUs;
/// OFDM preamble (16 µs) + SIGNAL field (4 µs).
constexpr SimTime kOfdmPreambleNs = 20 * kNsPerUs;

/// MPDU of an LLC/SNAP data frame: 24 B MAC header + 8 B LLC/SNAP + payload + 4 B FCS.
constexpr uint32_t llc_mpdu_bytes(uint32_t payload_bytes) { return payload_bytes + 36; }
/// MPDU of an ESP-NOW frame, a vendor-specific action frame: 24 B MAC header,
/// 1 B category, 3 B OUI, 4 B random, 7 B vendor element header, payload, 4 B FCS.
constexpr uint32_t espnow_mpdu_bytes(uint32_t payload_bytes) { return payload_bytes + 43; }

/// Airtime of an MPDU at `rate`, preamble included.
SimTime frame_duration_ns(PhyRate rate, uint32_t mpdu_bytes);
/// How long one ESP-NOW frame of `payload_bytes` holds the channel without backoff or ACK: DIFS, then the
/// frame at the data rate (ota-fleet.md's T(P) for a full chunk frame).
SimTime espnow_frame_ns(const RadioSpec& radio, uint32_t payload_bytes);
/// ACKs go at 1 Mbit/s after DSSS data and at 6 Mbit/s after OFDM data.
PhyRate ack_rate(PhyRate data_rate);
SimTime ack_duration_ns(PhyRate data_rate);
/// Part of the frame sent at 1 Mbit/s DBPSK before the data rate applies (0 for OFDM).
SimTime header_duration_ns(PhyRate rate);

/// Channel bandwidth: 22 MHz for DSSS, 20 MHz for OFDM.
double bandwidth_hz(PhyRate rate);
/// Thermal noise over the channel plus the receiver's noise figure.
double noise_floor_dbm(PhyRate rate, double noise_figure_db);

double dbm_to_mw(double dbm);
double mw_to_dbm(double mw);

/// ns-3 DsssErrorRateModel, 1 Mbit/s DBPSK: Eb/N0 = SINR x 22.
double ber_dbpsk(double sinr);
/// ns-3 DsssErrorRateModel, 2 Mbit/s DQPSK: Eb/N0 = SINR x 11; at most 0.5.
double ber_dqpsk(double sinr);
/// ns-3 NistErrorRateModel, BPSK rate 1/2 (6 Mbit/s): per-bit error after the
/// convolutional code, from the union bound on the free-distance terms; at most 1.
double pe_ofdm6(double sinr);

/// log(probability that `bits` bits at `rate` all survive at a constant `sinr`).
double log_bits_success(PhyRate rate, double sinr, double bits);

/// log(success) of the part of a frame between offsets [from_ns, to_ns) from
/// its first preamble bit: the DSSS header at 1 Mbit/s DBPSK, the rest at `rate`.
/// OFDM counts the preamble and SIGNAL as 6 Mbit/s bits too (a simplification:
/// they are as robust as BPSK 1/2 data).
double log_piece_success(PhyRate rate, SimTime from_ns, SimTime to_ns, double sinr);

}  // namespace meshota::sim
