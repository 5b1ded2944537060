# The two commands of the README: `make demo` and `make test`. Both set up a
# fresh Debian machine first (scripts/setup.sh installs only what is missing).

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
MESHOTA    := $(BUILD)/sim/meshota
BENCH_BIN  := $(BUILD)/bench/meshota_bench
BENCH_PY   := /usr/bin/python3 scripts/bench.py --bench $(BENCH_BIN)
# The default scenario set of `make demo`.
DEMO_SCENARIOS := scenarios/baseline/baseline-unicast-10.yaml scenarios/baseline/baseline-unicast-10-bursty.yaml \
                  scenarios/telemetry/telemetry-f10-tree.yaml \
                  scenarios/baseline/baseline-unicast-50.yaml scenarios/baseline/baseline-broadcast-10.yaml \
                  scenarios/baseline/baseline-broadcast-10-relay.yaml scenarios/baseline/baseline-forced-10.yaml \
                  scenarios/baseline/baseline-unicast-10-radio.yaml scenarios/baseline/baseline-unicast-10-bursty-radio.yaml \
                  scenarios/baseline/baseline-unicast-50-radio.yaml scenarios/baseline/baseline-broadcast-10-radio.yaml \
                  scenarios/baseline/baseline-broadcast-10-relay-radio.yaml scenarios/baseline/baseline-forced-10-radio.yaml \
                  scenarios/fleet/fleet-f10-tree.yaml scenarios/fleet/fleet-f10-tree-broadcast.yaml \
                  scenarios/fleet/fleet-f10-tree-unicast.yaml \
                  scenarios/rollout/rollout-f100-rgg.yaml scenarios/rollout/rollout-f100-rgg-crash-loop.yaml \
                  scenarios/attack/attack-poison-pages.yaml scenarios/attack/attack-forged-manifest.yaml \
                  scenarios/attack/attack-replayed-manifest.yaml scenarios/attack/attack-lying-adverts.yaml \
                  scenarios/attack/attack-request-flood.yaml

# Fleets `make bench` also runs (ota-fleet.md; too long for the demo), each meshota run beside painlessMesh's own
# OTA on the same fleet where the report compares them (its hour-long runs take minutes of wall time):
# F100-rgg; F500-rgg at 10 % loss, the OTA issue's target, and at 0 % and with loss bursts; F500-grid; F10k-rgg
# (minutes). The report's fleet table gives completion / LB, control share, wall time and the speed-up.
BENCH_FLEETS := scenarios/fleet/fleet-f100-rgg.yaml scenarios/fleet/fleet-f100-rgg-painlessmesh.yaml \
                scenarios/fleet/fleet-f500-rgg-loss10.yaml scenarios/fleet/fleet-f500-rgg-loss10-painlessmesh.yaml \
                scenarios/fleet/fleet-f500-rgg.yaml scenarios/fleet/fleet-f500-rgg-bursts.yaml \
                scenarios/fleet/fleet-f500-grid.yaml scenarios/fleet/fleet-f10k-rgg.yaml

# The demo scenarios `make test` also times (bench quick mode): the short ones, one per medium and protocol.
BENCH_QUICK_SCENARIOS := scenarios/baseline/baseline-unicast-10.yaml scenarios/baseline/baseline-broadcast-10.yaml \
                         scenarios/baseline/baseline-unicast-10-radio.yaml scenarios/fleet/fleet-f10-tree.yaml

.PHONY: all setup build demo test test-asan cross bench bench-quick bench-baseline bench-peers clean

all: build

setup:
	@scripts/setup.sh

build: setup
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DMESHOTA_WERROR=ON
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(MESHOTA) run $(DEMO_SCENARIOS) --out out/demo

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	$(BENCH_PY) --quick $(BENCH_QUICK_SCENARIOS:%=--scenario %)
	scripts/cross-check.sh $(BUILD)/cross
	$(MAKE) test-asan

# The same tests under AddressSanitizer + UndefinedBehaviorSanitizer, but the claims and the
# F100-rgg, F500 and F10k runs: they re-run fleets whose code paths the F10 tests already cover, and take
# minutes each in the sanitised build.
test-asan: setup
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMESHOTA_SANITIZE=ON -DMESHOTA_WERROR=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS) -E "claims|F100-rgg|F500|F10k"

cross: setup
	scripts/cross-check.sh $(BUILD)/cross

# The benchmark report (bench/README.md): out/bench/report.md and report.json; fails when a
# figure is more than 2x worse than bench/baseline.json. Then the Python module's figures.
bench: build
	$(BENCH_PY) $(DEMO_SCENARIOS:%=--scenario %) $(BENCH_FLEETS:%=--scenario %)
	/usr/bin/python3 tests/sim/engine/flood_reference_check.py $(MESHOTA)
	PYTHONPATH=$(BUILD)/python /usr/bin/python3 python/bench/bench_python.py --meshota $(MESHOTA)

# What `make test` runs: the same report in well under 2 minutes.
bench-quick: build
	$(BENCH_PY) --quick $(BENCH_QUICK_SCENARIOS:%=--scenario %)

# Rewrites bench/baseline.json from a full run, after an intended change (say why in the commit).
bench-baseline: build
	$(BENCH_PY) --write-baseline $(DEMO_SCENARIOS:%=--scenario %)

# The flood benchmarks beside ns-3 on the same graphs (needs libns3-dev; not in CI).
bench-peers: build
	bench/peers/run.sh $(MESHOTA) $(BUILD)/peers

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) out
