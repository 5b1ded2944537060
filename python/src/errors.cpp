#include "errors.hpp"

#include <fmt/format.h>

#include "meshota/sim/scenario/input_error.hpp"

namespace meshota::py {
namespace {

namespace pyb = pybind11;

pyb::object error_class(const char* name) { return pyb::module_::import("meshota._errors").attr(name); }

/// The message without its "file:line:column: " prefix (InputError formats it so).
std::string detail_of(const sim::InputError& e) {
  std::string prefix = e.file();
  if (e.line() > 0) prefix += ":" + std::to_string(e.line());
  if (e.line() > 0 && e.column() > 0) prefix += ":" + std::to_string(e.column());
  prefix += ": ";
  const std::string what = e.what();
  return what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what;
}

const char* reason_name(StopReason r) {
  switch (r) {
    case StopReason::kTimeLimit: return "time_limit";
    case StopReason::kStopEvent: return "stopped";
    case StopReason::kSignal: return "signal";
  }
  return "?";
}

}  // namespace

void register_error_translators() {
  pyb::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const sim::InputError& e) {
      const pyb::object cls = error_class("ScenarioError");
      const pyb::object exc = cls(e.what(), pyb::arg("file") = e.file(), pyb::arg("line") = e.line(),
                                  pyb::arg("column") = e.column(), pyb::arg("detail") = detail_of(e));
      PyErr_SetObject(cls.ptr(), exc.ptr());
    }
  });
}

void raise_run_interrupted(const RunStopped& stop, double wall_s, PyObject* cause) {
  const pyb::object cls = error_class("RunInterrupted");
  std::string why;
  switch (stop.reason) {
    case StopReason::kTimeLimit: why = "its wall-clock limit (time_limit_s) ran out"; break;
    case StopReason::kStopEvent: why = "its stop event was set"; break;
    case StopReason::kSignal: why = "of an interrupt (KeyboardInterrupt)"; break;
  }
  const std::string message = fmt::format("the run stopped at {:.3f} s of virtual time, after {:.3f} s of wall time, "
                                          "because {}; no result was kept",
                                          stop.sim_time_s, wall_s, why);
  const pyb::object exc = cls(message, pyb::arg("reason") = reason_name(stop.reason),
                              pyb::arg("sim_time_s") = stop.sim_time_s, pyb::arg("wall_s") = wall_s);
  if (cause != nullptr) PyException_SetCause(exc.ptr(), cause);
  PyErr_SetObject(cls.ptr(), exc.ptr());
  throw pyb::error_already_set();
}

}  // namespace meshota::py
