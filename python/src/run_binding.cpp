// Running a scenario from Python: the same pipeline as `meshota run`
// (parse_scenario -> run_scenario -> ScenarioRun), with the GIL released so that
// threads run scenarios in parallel, and a progress callback that can end the
// run early: a wall-clock limit, a threading.Event, or a signal (Ctrl-C).

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "errors.hpp"
#include "tables.hpp"

#include "meshota/sim/report/report.hpp"
#include "meshota/sim/scenario/scenario_run.hpp"

namespace meshota::py {
namespace {

using Clock = std::chrono::steady_clock;

/// How often a running simulation takes the GIL to look at signals and the stop
/// event: rarely enough to cost nothing, often enough that Ctrl-C feels immediate.
constexpr auto kPythonCheckPeriod = std::chrono::milliseconds(50);

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

/// An analysed run held by Python; tables are built from it on request.
struct PyRun {
  ScenarioRun run;
  double wall_s = 0.0;

  const TableSpec& table(const std::string& name) const {
    for (const TableSpec& t : result_tables())
      if (name == t.name) return t;
    std::string known;
    for (const TableSpec& t : result_tables()) known += (known.empty() ? "" : ", ") + std::string(t.name);
    throw pyb::key_error("no table '" + name + "'; the tables are: " + known);
  }
};

/// The run's progress callback. The simulator calls it every 65,536 events
/// without the GIL; it ends the run by throwing RunStopped.
class Stopper {
 public:
  Stopper(std::optional<double> limit_s, pyb::object stop_event) : stop_(std::move(stop_event)) {
    if (limit_s) deadline_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*limit_s));
  }
  Stopper(const Stopper&) = delete;
  Stopper& operator=(const Stopper&) = delete;
  ~Stopper() {
    Py_XDECREF(type_);
    Py_XDECREF(value_);
    Py_XDECREF(traceback_);
  }

  void check(sim::SimTime now_ns) {
    const auto now = Clock::now();
    const double t = static_cast<double>(now_ns) / 1e9;
    if (deadline_ && now >= *deadline_) throw RunStopped{StopReason::kTimeLimit, t};
    if (now < next_check_) return;
    next_check_ = now + kPythonCheckPeriod;
    pyb::gil_scoped_acquire gil;
    // Runs Python's signal handlers (main thread only); Ctrl-C's leaves KeyboardInterrupt pending.
    if (PyErr_CheckSignals() != 0) {
      PyErr_Fetch(&type_, &value_, &traceback_);
      PyErr_NormalizeException(&type_, &value_, &traceback_);
      throw RunStopped{StopReason::kSignal, t};
    }
    if (!stop_.is_none() && stop_.attr("is_set")().cast<bool>()) throw RunStopped{StopReason::kStopEvent, t};
  }

  /// After a signal stopped the run (GIL held): RunInterrupted for Ctrl-C, else the handler's own error.
  [[noreturn]] void raise(const RunStopped& stop, double wall_s) {
    if (stop.reason == StopReason::kSignal && !PyErr_GivenExceptionMatches(type_, PyExc_KeyboardInterrupt)) {
      PyErr_Restore(type_, value_, traceback_);
      type_ = value_ = traceback_ = nullptr;
      throw pyb::error_already_set();
    }
    PyObject* cause = value_;
    value_ = nullptr;
    raise_run_interrupted(stop, wall_s, cause);
  }

 private:
  pyb::object stop_;
  std::optional<Clock::time_point> deadline_;
  Clock::time_point next_check_ = Clock::now() + kPythonCheckPeriod;
  PyObject* type_ = nullptr;
  PyObject* value_ = nullptr;
  PyObject* traceback_ = nullptr;
};

sim::Scenario parse(const std::string& text, const std::string& path, std::optional<uint64_t> seed) {
  sim::Scenario sc = sim::parse_scenario(text, path);
  if (seed) sc.seed = *seed;  // as `meshota run --seed`
  return sc;
}

pyb::dict facts(const std::optional<ScenarioRun>& run) {
  pyb::dict info;
  info["name"] = run->scenario.name;
  info["seed"] = run->scenario.seed;
  info["nodes"] = run->topology.nodes;
  info["image_bytes"] = run->image.bytes.size();
  info["protocol"] = run->scenario.ota.protocol;
  info["duration_s"] = run->scenario.duration_s;
  return info;
}

pyb::dict validate(const std::string& text, const std::string& path, std::optional<uint64_t> seed) {
  std::optional<ScenarioRun> run;
  {
    pyb::gil_scoped_release release;
    run = sim::prepare_scenario(parse(text, path, seed));
  }
  return facts(run);
}

/// `meshota validate FILE`: the loader reads the file itself (its own "cannot open" messages).
pyb::dict validate_file(const std::string& path) {
  std::optional<ScenarioRun> run;
  {
    pyb::gil_scoped_release release;
    run = sim::prepare_scenario(sim::load_scenario(path));
  }
  return facts(run);
}

std::unique_ptr<PyRun> run(const std::string& text, const std::string& path, std::optional<uint64_t> seed,
                           std::optional<double> time_limit_s, pyb::object stop_event) {
  Stopper stopper(time_limit_s, std::move(stop_event));
  // Holds only a pointer: nothing Python is copied while the GIL is released.
  const sim::ProgressFn progress = [&stopper](sim::SimTime t, uint32_t, uint32_t) { stopper.check(t); };
  auto out = std::make_unique<PyRun>();
  std::optional<RunStopped> stopped;
  std::exception_ptr error;
  const auto start = Clock::now();
  {
    pyb::gil_scoped_release release;
    try {
      out->run = sim::run_scenario(parse(text, path, seed), progress);
    } catch (const RunStopped& s) {
      stopped = s;
    } catch (...) {
      error = std::current_exception();
    }
  }
  out->wall_s = seconds_since(start);
  if (stopped) stopper.raise(*stopped, out->wall_s);
  if (error) std::rethrow_exception(error);  // InputError -> ScenarioError (errors.cpp)
  return out;
}

pyb::dict summary(const PyRun& r) {
  pyb::dict out;
  for (const Field& f : summary_fields()) out[f.name] = f.value(r.run);
  return out;
}

}  // namespace

void bind_run(pyb::module_& m) {
  pyb::class_<PyRun>(m, "Run", "An analysed run (C++ ScenarioRun); meshota.Result wraps it.")
      .def("summary", &summary, "The summary numbers: name -> value, in a fixed order.")
      .def("table", [](const PyRun& r, const std::string& name) { return r.table(name).build(r.run); },
           pyb::arg("name"), "One table as column name -> NumPy array.")
      .def_static("table_names", [] {
        pyb::dict out;
        for (const TableSpec& t : result_tables()) out[t.name] = t.doc;
        return out;
      }, "Every table's name -> what a row is.")
      .def_static("summary_names", [] {
        pyb::list out;
        for (const Field& f : summary_fields()) out.append(f.name);
        return out;
      }, "The names of the summary numbers, in order.")
      .def_property_readonly("notes", [](const PyRun& r) { return r.run.analysis.time_notes; },
                             "Where the time went, as report.md says it.")
      .def_property_readonly("wall_s", [](const PyRun& r) { return r.wall_s; },
                             "Wall-clock seconds the run took (parse, build, simulate, analyse).")
      .def("report_json", [](const PyRun& r) { return sim::report_json(r.run.report_input()).dump(2) + "\n"; },
           "report.json's text, byte for byte.")
      .def("report_markdown", [](const PyRun& r) { return sim::report_markdown(r.run.report_input()); },
           "report.md's text.")
      .def("timeline_csv", [](const PyRun& r) { return sim::timeline_csv(r.run.report_input()); },
           "timeline.csv's text.")
      .def("write_report", [](const PyRun& r, const std::string& dir) {
        pyb::gil_scoped_release release;
        sim::write_report(dir, r.run.report_input());
      }, pyb::arg("dir"), "Writes report.json, report.md and timeline.csv into dir, as `meshota run` does.");

  m.def("validate", &validate, pyb::arg("text"), pyb::arg("path"), pyb::arg("seed") = pyb::none(),
        "Parses, builds and checks a scenario as `meshota validate` does; returns a few facts about it.");
  m.def("validate_file", &validate_file, pyb::arg("path"), "`meshota validate FILE`, file read by the loader.");
  m.def("run", &run, pyb::arg("text"), pyb::arg("path"), pyb::arg("seed") = pyb::none(),
        pyb::arg("time_limit_s") = pyb::none(), pyb::arg("stop") = pyb::none(),
        "Runs a scenario given as YAML text (path names it in errors and anchors relative paths).");
}

}  // namespace meshota::py
