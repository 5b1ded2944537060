#!/usr/bin/env python3
"""meshota's benchmark report: runs the benchmark program (build/bench/meshota_bench,
Google Benchmark) with the demo scenarios as macro runs, normalises every figure by
the calibration loop of the same run, compares with bench/baseline.json and writes
OUT/report.json and OUT/report.md (bench/README.md explains how to read them).

Exit status: 0 when no figure is more than 2x worse than the baseline (a figure
more than 1.3x worse is printed as a warning); 1 when one is, or a benchmark
failed; 2 when the program could not be run.

Usage:
  bench.py --bench build/bench/meshota_bench [--quick] [--out out/bench]
           [--scenario FILE ...] [--baseline bench/baseline.json] [--write-baseline]
           [--filter REGEX] [--min-time S]
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import bench_report  # noqa: E402  (next to this file)

QUICK_MIN_TIME_S = 0.05


def run_benchmarks(binary, quick, scenarios, bench_filter, min_time):
    """Google Benchmark's JSON document of one run of the program."""
    with tempfile.TemporaryDirectory(prefix="meshota-bench-") as tmp:
        out = os.path.join(tmp, "gbench.json")
        # JSON on the console too (thrown away): the console format would print the run's
        # context and progress into every CI log; errors still reach stderr.
        cmd = [binary, "--benchmark_out=" + out, "--benchmark_out_format=json", "--benchmark_format=json"]
        if quick:
            cmd.append("--quick")
        if min_time is not None:
            cmd.append("--benchmark_min_time=%g" % min_time)
        if bench_filter:
            cmd.append("--benchmark_filter=" + bench_filter)
        cmd += ["--scenario=" + s for s in scenarios]
        try:
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        except (OSError, subprocess.CalledProcessError) as e:
            raise SystemExit("bench: could not run %s: %s" % (binary, e)) from None
        with open(out) as f:
            return json.load(f)


def _cmake_cache(build_dir):
    values = {}
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            for line in f:
                m = re.match(r"^([A-Za-z_]+):[A-Z]+=(.*)$", line.strip())
                if m:
                    values[m.group(1)] = m.group(2)
    except OSError:
        pass
    return values


def _first_line(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return r.stdout.splitlines()[0].strip() if r.returncode == 0 and r.stdout else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(binary):
    """CPU model, cores, compiler, build type and commit of this run."""
    cache = _cmake_cache(os.path.dirname(os.path.dirname(os.path.abspath(binary))))
    commit = _first_line(["git", "-C", ROOT, "rev-parse", "--short=12", "HEAD"])
    if _first_line(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"]) != "unknown":
        commit += "+changes"
    return {
        "cpu_model": cpu_model(),
        "cores": os.cpu_count(),
        "compiler": _first_line([cache.get("CMAKE_CXX_COMPILER", "c++"), "--version"]),
        "build_type": cache.get("CMAKE_BUILD_TYPE", "unknown"),
        "commit": commit,
    }


def load_baseline(path):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        print("bench: no baseline at %s: every figure is new" % path, file=sys.stderr)
        return {"figures": {}}


def build_report(gbench, baseline, mode, mach, wall_s):
    """report.json's document: machine, calibration, figures against the baseline, the raw run."""
    calib, calib_runs = bench_report.calibration(gbench)
    figs = bench_report.compare(bench_report.figures(gbench, calib), baseline.get("figures", {}))
    failures, warnings = bench_report.verdict(figs)
    mach = dict(mach, calibration_text="%s keys per CPU s, %s keys per wall s (best of %s)" % (
        bench_report.si(calib["cpu"]), bench_report.si(calib["wall"]),
        ", ".join("%s %s/%s" % (k, bench_report.si(v["cpu"]), bench_report.si(v["wall"]))
                  for k, v in sorted(calib_runs.items()))))
    return {
        "mode": mode,
        "machine": mach,
        "calibration": {"keys_per_cpu_s": calib["cpu"], "keys_per_wall_s": calib["wall"], "runs": calib_runs},
        "wall_s": round(wall_s, 1),
        "figures": figs,
        "macro": [f for f in figs if f["what"].startswith(("flood/", "scenario/"))],
        "fleets": bench_report.fleets(gbench),
        "failures": failures,
        "warnings": warnings,
        "google_benchmark": gbench,
    }


def write_reports(report, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "report.json"), "w") as f:
        json.dump(report, f, indent=1, sort_keys=True)
        f.write("\n")
    md = bench_report.render_markdown(report)
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write(md)
    return md


def check_reports(out_dir, baseline_path):
    """Re-judges an existing report.json against a baseline (the tests doctor reports with it)."""
    with open(os.path.join(out_dir, "report.json")) as f:
        report = json.load(f)
    base = load_baseline(baseline_path)
    figs = bench_report.compare(report["figures"], base.get("figures", {}))
    report["failures"], report["warnings"] = bench_report.verdict(figs)
    return report


def confirm(a, report, min_time):
    """Runs the benchmarks behind failing figures once more (and longer) before calling them
    regressions: a figure fails only if it fails both times. A neighbour's burst of work on a
    shared CI machine can slow one short run; it rarely slows two."""
    failing = sorted({f["what"] for f in report["figures"] if f["status"] == "FAIL"})
    print("bench: %d figure(s) past the limit; running %s again to confirm"
          % (len(report["failures"]), ", ".join(failing)), file=sys.stderr)
    names = "|".join(re.escape(n) for n in failing)
    again = run_benchmarks(a.bench, a.quick, [sc for sc in a.scenario if any(sc.endswith(
        os.path.basename(n.split("/", 1)[-1]) + ".yaml") for n in failing)],
        "calibration/|^(%s)(/|$)" % names, (min_time or 0.5) * 4)
    second = build_report(again, load_baseline(a.baseline), report["mode"], report["machine"], report["wall_s"])
    confirmed = {f["id"] for f in second["figures"] if f["status"] == "FAIL"}
    for f in report["figures"]:
        if f["status"] == "FAIL" and f["id"] not in confirmed:
            f["status"] = "warn"
            f["change"] += " (not confirmed by a second run)"
    report["failures"], report["warnings"] = bench_report.verdict(report["figures"])
    return report


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bench", help="the benchmark program (build/bench/meshota_bench)")
    p.add_argument("--quick", action="store_true", help="CI mode: short runs, no 10,000-node floods")
    p.add_argument("--out", default=os.path.join(ROOT, "out", "bench"), help="report folder")
    p.add_argument("--scenario", action="append", default=[], help="a scenario file to run as a macro benchmark")
    p.add_argument("--baseline", default=os.path.join(ROOT, "bench", "baseline.json"))
    p.add_argument("--write-baseline", action="store_true", help="rewrite --baseline from this run")
    p.add_argument("--filter", help="only benchmarks matching this regex (calibration always runs)")
    p.add_argument("--min-time", type=float, help="seconds per benchmark (default: %g quick, 0.5 full)" % QUICK_MIN_TIME_S)
    p.add_argument("--check", action="store_true", help="judge OUT/report.json again instead of running")
    a = p.parse_args(argv)
    if a.check:
        report = check_reports(a.out, a.baseline)
    else:
        if not a.bench:
            p.error("--bench is required (unless --check)")
        min_time = a.min_time if a.min_time is not None else QUICK_MIN_TIME_S if a.quick else None
        bench_filter = "calibration/|(%s)" % a.filter if a.filter else None
        start = time.monotonic()
        gbench = run_benchmarks(a.bench, a.quick, a.scenario, bench_filter, min_time)
        report = build_report(gbench, load_baseline(a.baseline), "quick" if a.quick else "full",
                              machine(a.bench), time.monotonic() - start)
        if report["failures"] and not a.write_baseline:
            report = confirm(a, report, min_time)
        print(write_reports(report, a.out), end="")
        print("bench: %s and report.json written (%.1f s)" % (os.path.join(a.out, "report.md"), report["wall_s"]))
        if a.write_baseline:
            with open(a.baseline, "w") as f:
                json.dump(bench_report.baseline_document(report), f, indent=1, sort_keys=True)
                f.write("\n")
            print("bench: baseline written to %s; commit it and say why" % a.baseline)
            return 0
    for w in report["warnings"]:
        print("bench: warning: " + w, file=sys.stderr)
    for e in report["failures"]:
        print("bench: REGRESSION: " + e, file=sys.stderr)
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
