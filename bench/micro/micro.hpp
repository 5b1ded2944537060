#pragma once
// The micro-benchmarks, one registration function per file (named after what
// it measures). bench_main.cpp calls them in this order, so the report's rows
// keep one order from run to run.

namespace meshota::bench {

/// Registers the calibration loop under `name` (run first and last).
void register_calibration(const char* name);
void register_event_queue();
void register_radio_medium();
void register_pm_codec();
void register_wire_codec();
void register_chunk_bitmap();
void register_sha256_pages();
void register_deflate();
void register_delta_encoder();

}  // namespace meshota::bench
