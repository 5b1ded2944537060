#include "meshota/sim/media/radio/phy_rate.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace meshota::sim {
namespace {

constexpr double kThermalDbmPerHz = -174.0;
/// Bits per nanosecond of each rate (1 Mbit/s = 1e-3 bit/ns).
constexpr double kDsss1BitsPerNs = 1e-3;
constexpr double kDsss2BitsPerNs = 2e-3;
constexpr double kOfdm6BitsPerNs = 6e-3;
/// Past this Eb/N0 exp(-x) is below 1e-299: return 0 rather than take libm's slow underflow path.
constexpr double kNegligibleExponent = 690.0;

double bits_per_ns(PhyRate rate) {
  switch (rate) {
    case PhyRate::kDsss1: return kDsss1BitsPerNs;
    case PhyRate::kDsss2: return kDsss2BitsPerNs;
    case PhyRate::kOfdm6: return kOfdm6BitsPerNs;
  }
  return kDsss1BitsPerNs;
}

double ber(PhyRate rate, double sinr) {
  switch (rate) {
    case PhyRate::kDsss1: return ber_dbpsk(sinr);
    case PhyRate::kDsss2: return ber_dqpsk(sinr);
    case PhyRate::kOfdm6: return pe_ofdm6(sinr);
  }
  return 0.5;
}

}  // namespace

SimTime frame_duration_ns(PhyRate rate, uint32_t mpdu_bytes) {
  const auto bits = SimTime{8} * mpdu_bytes;
  switch (rate) {
    case PhyRate::kDsss1: return kDsssPreambleNs + bits * kNsPerUs;
    case PhyRate::kDsss2: return kDsssPreambleNs + bits * kNsPerUs / 2;
    case PhyRate::kOfdm6: {
      // SERVICE (16 bits) + PSDU + tail (6 bits) in 24-bit symbols of 4 µs,
      // then 6 µs of signal extension in the 2.4 GHz band.
      const SimTime symbols = (16 + bits + 6 + 23) / 24;
      return kOfdmPreambleNs + symbols * 4 * kNsPerUs + 6 * kNsPerUs;
    }
  }
  return 0;
}

SimTime espnow_frame_ns(const RadioSpec& radio, uint32_t payload_bytes) {
  return SimTime{radio.difs_us} * kNsPerUs + frame_duration_ns(radio.data_rate, espnow_mpdu_bytes(payload_bytes));
}

PhyRate ack_rate(PhyRate data_rate) {
  return data_rate == PhyRate::kOfdm6 ? PhyRate::kOfdm6 : PhyRate::kDsss1;
}

SimTime ack_duration_ns(PhyRate data_rate) { return frame_duration_ns(ack_rate(data_rate), kAckBytes); }

SimTime header_duration_ns(PhyRate rate) { return rate == PhyRate::kOfdm6 ? 0 : kDsssPreambleNs; }

double bandwidth_hz(PhyRate rate) { return rate == PhyRate::kOfdm6 ? 20e6 : 22e6; }

double noise_floor_dbm(PhyRate rate, double noise_figure_db) {
  return kThermalDbmPerHz + 10.0 * std::log10(bandwidth_hz(rate)) + noise_figure_db;
}

double dbm_to_mw(double dbm) { return std::pow(10.0, dbm / 10.0); }
double mw_to_dbm(double mw) { return 10.0 * std::log10(mw); }

double ber_dbpsk(double sinr) {
  const double eb_n0 = sinr * 22.0;
  return eb_n0 > kNegligibleExponent ? 0.0 : 0.5 * std::exp(-eb_n0);
}

double ber_dqpsk(double sinr) {
  const double eb_n0 = sinr * 22.0 / 2.0;
  if (!(eb_n0 > 0.0)) return 0.5;
  if (eb_n0 > kNegligibleExponent) return 0.0;
  const double sqrt2 = std::numbers::sqrt2;
  const double k = (sqrt2 + 1.0) / std::sqrt(8.0 * std::numbers::pi * sqrt2);
  return std::min(0.5, k / std::sqrt(eb_n0) * std::exp(-(2.0 - sqrt2) * eb_n0));
}

double pe_ofdm6(double sinr) {
  const double ber = 0.5 * std::erfc(std::sqrt(std::max(sinr, 0.0)));
  if (ber == 0.0) return 0.0;
  const double d = std::sqrt(4.0 * ber * (1.0 - ber));
  const double d2 = d * d;
  // Horner in D^2 from D^10: 36 D^10 + 211 D^12 + ... + 134365911 D^26.
  constexpr double kTerms[] = {36.0,      211.0,      1404.0,      11633.0,    77433.0,
                               502690.0, 3322763.0, 21292910.0, 134365911.0};
  double sum = 0.0;
  for (auto it = std::rbegin(kTerms); it != std::rend(kTerms); ++it) sum = sum * d2 + *it;
  const double d10 = d2 * d2 * d2 * d2 * d2;
  return std::min(1.0, 0.5 * sum * d10);
}

double log_bits_success(PhyRate rate, double sinr, double bits) {
  if (!(bits > 0.0)) return 0.0;
  return bits * std::log1p(-ber(rate, sinr));
}

double log_piece_success(PhyRate rate, SimTime from_ns, SimTime to_ns, double sinr) {
  const SimTime header_end = header_duration_ns(rate);
  const SimTime header_ns = std::max<SimTime>(0, std::min(to_ns, header_end) - std::max(from_ns, SimTime{0}));
  const SimTime body_ns = (to_ns - from_ns) - header_ns;
  double log_ok = 0.0;
  if (header_ns > 0)
    log_ok += log_bits_success(PhyRate::kDsss1, sinr, static_cast<double>(header_ns) * kDsss1BitsPerNs);
  if (body_ns > 0) log_ok += log_bits_success(rate, sinr, static_cast<double>(body_ns) * bits_per_ns(rate));
  return log_ok;
}

}  // namespace meshota::sim
