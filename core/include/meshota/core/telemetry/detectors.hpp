#pragma once
// The root's detectors (seed option 2C's anomaly detection), in one include:
// EWMA z-score, Holt trend projection, boot-loop rules and offline silence,
// each with raise/clear hysteresis and per-metric state of at most 16 bytes.

#include "meshota/core/telemetry/alert.hpp"
#include "meshota/core/telemetry/boot_loop_detector.hpp"
#include "meshota/core/telemetry/ewma_detector.hpp"
#include "meshota/core/telemetry/holt_detector.hpp"
#include "meshota/core/telemetry/hysteresis.hpp"
#include "meshota/core/telemetry/offline_watch.hpp"
