#pragma once
// Python exceptions raised from C++. The exception classes live in the pure-Python
// package (meshota/_errors.py), where they are documented and typed; these helpers
// build an instance with its attributes and raise it.

#include <string>

#include "pybind.hpp"

namespace meshota::py {

/// Translates meshota::sim::InputError into meshota.ScenarioError (file, line, column, detail).
void register_error_translators();

/// Why a run stopped before its end.
enum class StopReason { kTimeLimit, kStopEvent, kSignal };

/// Thrown from the run's progress callback (without the GIL) to end the run early;
/// the simulator unwinds like any exception and frees everything it built.
struct RunStopped {
  StopReason reason;
  double sim_time_s;
};

/// Sets meshota.RunInterrupted as the pending Python error and throws error_already_set.
/// `cause` (may be null, reference stolen) becomes its __cause__, e.g. the KeyboardInterrupt.
[[noreturn]] void raise_run_interrupted(const RunStopped& stop, double wall_s, PyObject* cause);

}  // namespace meshota::py
