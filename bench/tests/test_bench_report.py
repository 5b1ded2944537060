#!/usr/bin/env python3
"""The benchmark report's checker and its two files, on a real (tiny) run.

One short run of scripts/bench.py with a few benchmarks writes report.json and
report.md into a temporary folder; then:
- judged against a baseline made from that same report, it passes;
- with one figure doctored 3x worse (a rate 3x slower, a size 3x larger) the
  check fails and names the figure; 1.5x worse only warns;
- every cell and header line of report.md is a field of report.json.

Usage: test_bench_report.py --bench build/bench/meshota_bench
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DRIVER = os.path.join(ROOT, "scripts", "bench.py")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import bench_report  # noqa: E402

BENCH = None
# A rate of each kind and a size: a hold model, a codec, and inflate's RAM.
FILTER = r"event_queue/hold/100$|codec/wire/advertise/encode|inflate/window/hello_world_new/9$"


def driver(*args):
    return subprocess.run([sys.executable, DRIVER, *args], capture_output=True, text=True, timeout=300)


class BenchReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="meshota-bench-test-")
        cls.run_dir = os.path.join(cls.tmp, "run")
        r = driver("--bench", BENCH, "--quick", "--min-time", "0.01", "--filter", FILTER,
                   "--out", cls.run_dir, "--baseline", os.path.join(cls.tmp, "none.json"))
        if r.returncode != 0:
            raise AssertionError("bench.py failed:\n" + r.stdout + r.stderr)
        with open(os.path.join(cls.run_dir, "report.json")) as f:
            cls.report = json.load(f)
        with open(os.path.join(cls.run_dir, "report.md")) as f:
            cls.markdown = f.read()
        cls.baseline = os.path.join(cls.tmp, "baseline.json")
        with open(cls.baseline, "w") as f:
            json.dump(bench_report.baseline_document(cls.report), f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, True)

    def doctored(self, figure_id, factor):
        """A copy of the run's report with one figure `factor` times worse, in a new folder."""
        out = tempfile.mkdtemp(dir=self.tmp)
        report = json.loads(json.dumps(self.report))
        hits = [f for f in report["figures"] if f["id"] == figure_id]
        self.assertEqual(len(hits), 1, figure_id)
        f = hits[0]
        scale = factor if f["kind"] == "size" else 1.0 / factor
        f["value"] *= scale
        f["normalised"] *= scale
        with open(os.path.join(out, "report.json"), "w") as fh:
            json.dump(report, fh)
        return out

    def test_the_run_has_the_figures_asked_for(self):
        ids = [f["id"] for f in self.report["figures"]]
        self.assertEqual(ids, ["event_queue/hold/100:items_per_s", "codec/wire/advertise/encode:items_per_s",
                               "inflate/window/hello_world_new/9:bytes_per_s",
                               "inflate/window/hello_world_new/9:ram_bytes"])
        self.assertTrue(all(f["status"] == "new" for f in self.report["figures"]))

    def test_unchanged_report_passes(self):
        r = driver("--check", "--out", self.run_dir, "--baseline", self.baseline)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("REGRESSION", r.stderr)
        self.assertNotIn("warning", r.stderr)

    def test_rate_3x_slower_fails_naming_it(self):
        r = driver("--check", "--out", self.doctored("event_queue/hold/100:items_per_s", 3.0),
                   "--baseline", self.baseline)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("REGRESSION: event_queue/hold/100:items_per_s is 3.00x worse", r.stderr)
        self.assertEqual(r.stderr.count("REGRESSION"), 1, r.stderr)

    def test_size_3x_larger_fails_naming_it(self):
        r = driver("--check", "--out", self.doctored("inflate/window/hello_world_new/9:ram_bytes", 3.0),
                   "--baseline", self.baseline)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("REGRESSION: inflate/window/hello_world_new/9:ram_bytes is 3.00x worse", r.stderr)

    def test_1_5x_slower_only_warns(self):
        r = driver("--check", "--out", self.doctored("codec/wire/advertise/encode:items_per_s", 1.5),
                   "--baseline", self.baseline)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("warning: codec/wire/advertise/encode:items_per_s is 1.50x worse", r.stderr)

    def test_markdown_shows_only_fields_of_the_json(self):
        rows = bench_report.parse_markdown_table(self.markdown)
        self.assertEqual(len(rows), len(self.report["figures"]))
        for row, figure in zip(rows, self.report["figures"]):
            for _, key in bench_report.TABLE_COLUMNS:
                self.assertEqual(row[key], str(figure[key]), (key, figure["id"]))
        for label, key in bench_report.HEADER_FIELDS:
            value = self.report["machine"].get(key, self.report.get(key))
            self.assertIsNotNone(value, key)
            self.assertIn("- %s: %s\n" % (label, value), self.markdown)

    def test_json_has_machine_and_raw_google_benchmark(self):
        m = self.report["machine"]
        for key in ("cpu_model", "cores", "compiler", "build_type", "commit"):
            self.assertTrue(m[key], key)
        self.assertIn("context", self.report["google_benchmark"])
        self.assertGreater(self.report["calibration"]["keys_per_cpu_s"], 0)
        self.assertGreater(self.report["calibration"]["keys_per_wall_s"], 0)


class FleetTableTest(unittest.TestCase):
    """The fleet table from scenario runs' outcome counters (pure: no run)."""

    @staticmethod
    def bench_run(name, **counters):
        base = {"name": "scenario/%s/manual_time" % name, "run_type": "iteration", "best_wall_s": 2.5,
                "lb_s": 4.0, "control_share": 0.12, "offer_s": 1.0, "completion_over_lb": 0.0, "p99_updated_s": -1.0}
        return dict(base, **counters)

    def test_speedup_over_a_baseline_that_did_not_finish_is_a_lower_bound(self):
        gbench = {"benchmarks": [
            self.bench_run("fleet-x", receivers=99, updated=99, completion_s=50.0, p99_updated_s=41.0,
                           completion_over_lb=12.5, run_end_s=52.0),
            self.bench_run("fleet-x-painlessmesh", receivers=99, updated=10, completion_s=-1.0, run_end_s=3601.0)]}
        rows = {r["scenario"]: r for r in bench_report.fleets(gbench)}
        self.assertAlmostEqual(rows["fleet-x"]["speedup"], 3600.0 / 50.0)
        self.assertTrue(rows["fleet-x"]["speedup_at_least"])
        self.assertNotIn("speedup", rows["fleet-x-painlessmesh"])
        md = "\n".join(bench_report.render_fleets(bench_report.fleets(gbench)))
        self.assertIn("| fleet-x | 99 of 99 | 50.0 | 41.0 | 12.50 | 12.0 % | 2.50 | >= 72.0x (it updated 10 of 99) |", md)
        self.assertIn("| fleet-x-painlessmesh | 10 of 99 | not done 3600 s after the offer | - |", md)
        self.assertIn("not done 3600 s after the offer", md)

    def test_speedup_over_a_finished_baseline_is_the_ratio(self):
        gbench = {"benchmarks": [
            self.bench_run("f", receivers=10, updated=10, completion_s=20.0, run_end_s=21.0),
            self.bench_run("f-painlessmesh", receivers=10, updated=10, completion_s=140.0, run_end_s=141.0)]}
        row = bench_report.fleets(gbench)[0]
        self.assertAlmostEqual(row["speedup"], 7.0)
        self.assertFalse(row["speedup_at_least"])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", required=True, help="build/bench/meshota_bench")
    args, rest = parser.parse_known_args()
    BENCH = os.path.abspath(args.bench)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
