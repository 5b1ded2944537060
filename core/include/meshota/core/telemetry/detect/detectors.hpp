#pragma once
// The root's detectors (seed option 2C's anomaly detection), in one include:
// EWMA z-score, Holt trend projection, boot-loop rules and offline silence,
// each with raise/clear hysteresis and per-metric state of at most 16 bytes.

#include "meshota/core/telemetry/detect/alert.hpp"
#include "meshota/core/telemetry/detect/boot_loop_detector.hpp"
#include "meshota/core/telemetry/detect/ewma_detector.hpp"
#include "meshota/core/telemetry/detect/holt_detector.hpp"
#include "meshota/core/telemetry/detect/hysteresis.hpp"
#include "meshota/core/telemetry/detect/offline_watch.hpp"
