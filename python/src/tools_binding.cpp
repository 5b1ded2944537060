// The two other things `meshota` does besides running scenarios: the flood
// engine benchmark (`meshota bench flood`) and the claims report (`meshota claims`).

#include <charconv>
#include <sstream>
#include <string>

#include "pybind.hpp"

#include "meshota/sim/bench/flood_bench.hpp"
#include "meshota/sim/bench/flood_radio.hpp"
#include "meshota/sim/claims/claims.hpp"
#include "meshota/sim/scenario/edge_list.hpp"

namespace meshota::py {
namespace {

namespace pyb = pybind11;

/// A key=value field of the flood line as int, float or (failing both) text.
pyb::object typed(const std::string& text) {
  const char* end = text.data() + text.size();
  int64_t i = 0;
  if (auto [p, ec] = std::from_chars(text.data(), end, i); ec == std::errc() && p == end) return pyb::int_(i);
  double d = 0.0;
  if (auto [p, ec] = std::from_chars(text.data(), end, d); ec == std::errc() && p == end) return pyb::float_(d);
  return pyb::str(text);
}

/// The key=value fields of a flood line as a dict.
pyb::dict line_fields(const std::string& line);

/// The fields of the line `meshota bench flood` prints, so the two cannot disagree.
pyb::dict flood(const std::string& topology_file, uint64_t seed, uint32_t packets, double loss) {
  std::string line;
  {
    pyb::gil_scoped_release release;
    const sim::EdgeList graph = sim::read_edge_list(topology_file);
    sim::FloodParams params;
    params.packets = packets;
    params.loss = loss;
    line = sim::format_flood_line(sim::run_flood(graph, params, seed));
  }
  return line_fields(line);
}

/// The radio flood (flood-radio.md) on its grid of `nodes`, as `meshota bench flood --medium radio`.
pyb::dict flood_radio(uint32_t nodes, uint64_t seed, uint32_t packets, double loss) {
  std::string line;
  {
    pyb::gil_scoped_release release;
    sim::FloodRadioParams params;
    params.nodes = nodes;
    params.packets = packets;
    params.loss = loss;
    line = sim::format_flood_radio_line(sim::run_flood_radio(params, seed));
  }
  return line_fields(line);
}

pyb::dict line_fields(const std::string& line) {
  pyb::dict out;
  std::istringstream words(line);
  for (std::string word; words >> word;) {
    const size_t eq = word.find('=');
    if (eq != std::string::npos) out[pyb::str(word.substr(0, eq))] = typed(word.substr(eq + 1));
  }
  return out;
}

pyb::list claims(uint32_t seeds, const std::string& scenario_dir) {
  std::vector<sim::ClaimRow> rows;
  {
    pyb::gil_scoped_release release;
    sim::ClaimRunner runner(sim::ClaimsOptions{seeds, scenario_dir}, {});
    rows = sim::evaluate_claims(runner);
  }
  pyb::list out;
  for (const sim::ClaimRow& r : rows) {
    pyb::list values;
    for (const sim::ClaimValue& v : r.values) {
      pyb::dict d;
      d["what"] = v.what;
      d["unit"] = v.unit;
      d["per_seed"] = v.per_seed;
      d["mean"] = v.mean();
      d["min"] = v.min();
      d["max"] = v.max();
      values.append(d);
    }
    pyb::dict d;
    d["id"] = r.id;
    d["claim"] = r.claim;
    d["source"] = r.source;
    d["verdict"] = r.verdict;
    d["explanation"] = r.explanation;
    d["scenarios"] = r.scenarios;
    d["seeds"] = r.seeds;
    d["values"] = values;
    out.append(d);
  }
  return out;
}

}  // namespace

void bind_tools(pyb::module_& m) {
  m.def("flood", &flood, pyb::arg("topology_file"), pyb::arg("seed") = 1, pyb::arg("packets") = 150,
        pyb::arg("loss") = sim::FloodParams{}.loss,
        "The flood benchmark's key=value fields (`meshota bench flood`); loss is the spec's 0.10 by default.");
  m.def("flood_radio", &flood_radio, pyb::arg("nodes"), pyb::arg("seed") = 1, pyb::arg("packets") = 150,
        pyb::arg("loss") = sim::FloodRadioParams{}.loss,
        "The radio flood's key=value fields (`meshota bench flood --medium radio --nodes N`).");
  m.def("claims", &claims, pyb::arg("seeds"), pyb::arg("scenario_dir"),
        "Every claim's row, as `meshota claims` decides it.");
}

}  // namespace meshota::py
