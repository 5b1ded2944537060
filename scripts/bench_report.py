"""The benchmark report of scripts/bench.py: figures from Google Benchmark's
JSON, normalised by the calibration loop of the same run, compared with
bench/baseline.json, rendered as report.md from report.json.

Standard library only, so CI needs nothing beyond Debian's python3. Every
function here is pure (no files, no processes), which is what the tests in
bench/tests/ call.

A figure is one number of one benchmark:
- bytes_per_second and items_per_second (Google Benchmark's rates);
- the macro runs' counters sim_s_per_wall_s and events_per_s (per wall second:
  shown, never judged) and events_per_cpu_s (judged);
- counters named *_bytes (sizes: RAM, frame bytes), where smaller is better.
Rates are divided by the calibration loop's keys/s on the same clock (CPU
seconds for Google Benchmark's rates, wall seconds for the macro runs), so a
machine (or a busy CI runner) that is twice as slow leaves the normalised
figure where it was.
Sizes do not depend on the machine and are compared as they are.
"""

import math
import re

FAIL_RATIO = 2.0
WARN_RATIO = 1.3
CALIBRATION_PREFIX = "calibration/"

# Google Benchmark's run options that it appends to a name.
_OPTION_SUFFIX = re.compile(r"/(iterations|min_time|repeats|manual_time|real_time|process_time|threads)(:[^/]*)?")

# What the items of each group of benchmarks are, for the unit column.
_ITEM_WORDS = [
    ("event_queue/", "events/s"),
    ("radio_medium/", "frames/s"),
    ("codec/", "msgs/s"),
    ("chunk_bitmap/nack_union/", "NACKs/s"),
    ("chunk_bitmap/first_missing/", "gaps/s"),
    ("chunk_bitmap/", "chunks/s"),
    ("telemetry/", "reports/s"),
    (CALIBRATION_PREFIX, "keys/s"),
]
# The macro runs' counters: unit and clock. Figures per wall second are shown and compared but
# never fail or warn (another process on the machine moves them); events per CPU second is judged.
_COUNTER_UNITS = {"sim_s_per_wall_s": ("sim s/wall s", "wall"), "events_per_s": ("events/s", "wall"),
                  "events_per_cpu_s": ("events/CPU s", "cpu")}

# The columns of the table, each a key of a figure in report.json.
TABLE_COLUMNS = [("what", "what"), ("figure", "display"), ("unit", "unit"),
                 ("normalised", "normalised_text"), ("baseline", "baseline_text"),
                 ("change", "change"), ("status", "status")]
# The header lines of report.md, each a key of report.json's "machine" (or top level).
HEADER_FIELDS = [("mode", "mode"), ("commit", "commit"), ("build type", "build_type"),
                 ("compiler", "compiler"), ("CPU", "cpu_model"), ("cores", "cores"),
                 ("calibration", "calibration_text")]


def benchmark_name(run):
    """The run's name without the options Google Benchmark appends (iterations:3, manual_time...)."""
    return _OPTION_SUFFIX.sub("", run["name"])


def item_unit(name):
    for prefix, unit in _ITEM_WORDS:
        if name.startswith(prefix):
            return unit
    return "items/s"


def si(value):
    """3 significant digits with a k/M/G suffix: 45.2 M, 0.317, 1.23 k."""
    if value == 0 or not math.isfinite(value):
        return "%g" % value
    for div, suffix in ((1e9, " G"), (1e6, " M"), (1e3, " k")):
        if abs(value) >= div:
            return "%.3g%s" % (value / div, suffix)
    return "%.3g" % value


def calibration(gbench):
    """The best keys/s of the calibration runs (start and end; interference only slows a run
    down) per CPU second and per wall second, and each run's two figures."""
    runs = {benchmark_name(r): {"cpu": r["items_per_second"], "wall": r["keys_per_wall_s"]}
            for r in gbench["benchmarks"]
            if benchmark_name(r).startswith(CALIBRATION_PREFIX) and "items_per_second" in r}
    if not runs:
        raise ValueError("the run has no calibration benchmark (calibration/start, calibration/end)")
    best = {clock: max(r[clock] for r in runs.values()) for clock in ("cpu", "wall")}
    return best, runs


def _metrics_of(run):
    """(metric, value, unit, kind) of each figure of one benchmark run: kind 'cpu' for a rate per
    CPU second (Google Benchmark's), 'wall' for a rate per wall second (the macro runs'), 'size'."""
    name = benchmark_name(run)
    out = []
    if "bytes_per_second" in run:
        out.append(("bytes_per_s", run["bytes_per_second"], "MB/s", "cpu"))
    elif "items_per_second" in run:
        out.append(("items_per_s", run["items_per_second"], item_unit(name), "cpu"))
    for key in sorted(run):
        if key in _COUNTER_UNITS:
            out.append((key, run[key]) + _COUNTER_UNITS[key])
        elif key.endswith("_bytes"):
            out.append((key, run[key], "bytes", "size"))
    return out


def figures(gbench, calib):
    """Every figure of a Google Benchmark JSON document, in the run's order (calibration left out)."""
    out = []
    for run in gbench["benchmarks"]:
        name = benchmark_name(run)
        if run.get("run_type") == "aggregate" or name.startswith(CALIBRATION_PREFIX):
            continue
        if run.get("error_occurred"):
            out.append({"id": name + ":error", "what": name, "metric": "error", "kind": "error",
                        "value": None, "unit": "", "display": "error: " + run.get("error_message", "?"),
                        "normalised": None})
            continue
        for metric, value, unit, kind in _metrics_of(run):
            shown = value / 1e6 if unit == "MB/s" else value
            normalised = value if kind == "size" else value / calib[kind]
            out.append({"id": "%s:%s" % (name, metric), "what": name, "metric": metric, "kind": kind,
                        "value": value, "unit": unit, "display": si(shown), "normalised": normalised})
    return out


def worse_factor(figure, base):
    """How many times worse than the baseline (1.0 = same, 2.0 = half the speed or twice the size)."""
    now = figure["normalised"]
    if figure["kind"] == "size":
        return now / base if base > 0 else (1.0 if now == 0 else math.inf)
    return base / now if now > 0 else math.inf


def compare(figs, baseline_figures):
    """Adds baseline, worse factor, change and status (ok, warn, FAIL, new, info) to each figure."""
    for f in figs:
        base = baseline_figures.get(f["id"])
        f["baseline"] = base
        f["worse"] = None
        f["baseline_text"] = "-" if base is None else "%.4g" % base
        f["normalised_text"] = "-" if f["normalised"] is None else "%.4g" % f["normalised"]
        if f["kind"] == "error":
            f["change"], f["status"] = "-", "FAIL"
            continue
        if base is None:
            f["change"], f["status"] = "-", "new"
            continue
        worse = worse_factor(f, base)
        f["worse"] = worse
        f["change"] = "same" if abs(worse - 1.0) < 0.005 else (
            "%.2fx worse" % worse if worse > 1.0 else "%.2fx better" % (1.0 / worse))
        if f["kind"] == "wall":
            f["status"] = "info"
        else:
            f["status"] = "FAIL" if worse > FAIL_RATIO else "warn" if worse > WARN_RATIO else "ok"
    return figs


def verdict(figs):
    """(failures, warnings): one message per figure past 2x / 1.3x worse, naming it."""
    failures, warnings = [], []
    for f in figs:
        if f["status"] == "FAIL":
            if f["kind"] == "error":
                failures.append("%s: the benchmark failed (%s)" % (f["what"], f["display"]))
            else:
                failures.append("%s is %.2fx worse than bench/baseline.json (normalised %.4g, baseline %.4g; "
                                "limit %gx)" % (f["id"], f["worse"], f["normalised"], f["baseline"], FAIL_RATIO))
        elif f["status"] == "warn":
            warnings.append("%s is %.2fx worse than bench/baseline.json (warning above %gx)"
                            % (f["id"], f["worse"], WARN_RATIO))
    return failures, warnings


def baseline_document(report):
    """bench/baseline.json for this report: the normalised figures, and where they came from."""
    m = report["machine"]
    return {
        "about": "Normalised figures (rate / calibration keys/s; sizes as they are) that scripts/bench.py "
                 "compares with; rewrite with `make bench-baseline` and say why in the commit.",
        "made_on": {k: m[k] for k in ("commit", "cpu_model", "cores", "compiler", "build_type")},
        "mode": report["mode"],
        "figures": {f["id"]: float("%.4g" % f["normalised"]) for f in report["figures"]
                    if f["normalised"] is not None},
    }


# A scenario run's outcome counters (bench/macro/macro.cpp's outcome()): what the OTA issue's targets judge.
FLEET_COUNTERS = ("receivers", "updated", "completion_s", "p99_updated_s", "lb_s", "completion_over_lb", "control_share", "run_end_s",
                  "offer_s", "best_wall_s")
# A painlessMesh baseline run is named after the meshota run of the same fleet, plus this.
BASELINE_SUFFIX = "-painlessmesh"


def fleets(gbench):
    """One row per scenario run: what it achieved (updated, completion, completion / LB, control share)
    and its fastest wall time; a painlessMesh baseline of the same fleet adds the speed-up. The speed-up is
    a lower bound ("at least") when the baseline did not update every node before its run ended."""
    rows = {}
    for run in gbench["benchmarks"]:
        name = benchmark_name(run)
        if not name.startswith("scenario/") or run.get("run_type") == "aggregate" or "receivers" not in run:
            continue
        row = {k: run[k] for k in FLEET_COUNTERS}
        row["scenario"] = name[len("scenario/"):]
        rows[row["scenario"]] = row
    for name, row in rows.items():
        base = rows.get(name + BASELINE_SUFFIX)
        if base is None or row["completion_s"] <= 0:
            continue
        done = base["updated"] == base["receivers"] and base["completion_s"] > 0
        row["baseline_updated"] = base["updated"]
        row["speedup"] = (base["completion_s"] if done else base["run_end_s"] - base["offer_s"]) / row["completion_s"]
        row["speedup_at_least"] = not done
    return [rows[k] for k in sorted(rows)]


def render_fleets(rows):
    """The fleet table of report.md, from report.json's "fleets"."""
    if not rows:
        return []
    lines = ["## What each scenario run achieved", "",
             "| scenario | updated | completion s | 99 % updated s | completion / LB | control share | wall s "
             "| vs painlessMesh |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        done = r["completion_s"] > 0
        vs = "-"
        if "speedup" in r:
            vs = "%s%.1fx (it updated %d of %d)" % (">= " if r["speedup_at_least"] else "", r["speedup"],
                                                   r["baseline_updated"], r["receivers"])
        lines.append("| %s | %d of %d | %s | %s | %s | %s | %.2f | %s |" % (
            r["scenario"], r["updated"], r["receivers"],
            "%.1f" % r["completion_s"] if done else "not done %.0f s after the offer" % (r["run_end_s"] - r["offer_s"]),
            "%.1f" % r["p99_updated_s"] if r["p99_updated_s"] >= 0 else "-",
            "%.2f" % r["completion_over_lb"] if r["completion_over_lb"] > 0 else "-",
            "%.1f %%" % (100.0 * r["control_share"]) if r["lb_s"] > 0 else "-", r["best_wall_s"], vs))
    return lines + [""]


def render_markdown(report):
    """report.md, from report.json's fields only (the tests hold it to that)."""
    lines = ["# meshota benchmark report", ""]
    for label, key in HEADER_FIELDS:
        lines.append("- %s: %s" % (label, report["machine"].get(key, report.get(key))))
    lines += ["", "| " + " | ".join(c for c, _ in TABLE_COLUMNS) + " |",
              "|" + "|".join("---:" if k in ("display", "normalised_text", "baseline_text") else "---"
                            for _, k in TABLE_COLUMNS) + "|"]
    for f in report["figures"]:
        lines.append("| " + " | ".join(str(f[k]) for _, k in TABLE_COLUMNS) + " |")
    lines.append("")
    lines += render_fleets(report.get("fleets", []))
    for label, key in (("regressions", "failures"), ("warnings", "warnings")):
        for message in report[key]:
            lines.append("- %s: %s" % (label[:-1], message))
    return "\n".join(lines).rstrip() + "\n"


def parse_markdown_table(text):
    """The table rows of report.md as dicts keyed by TABLE_COLUMNS' JSON keys (for the tests)."""
    rows = []
    for line in text.split("\n\n## ")[0].splitlines():  # the figures' table, before any section
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or cells[0] == TABLE_COLUMNS[0][0]:
            continue
        rows.append(dict(zip((k for _, k in TABLE_COLUMNS), cells)))
    return rows
