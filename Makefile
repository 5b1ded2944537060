# The two commands of the README: `make demo` and `make test`. Both set up a
# fresh Debian machine first (scripts/setup.sh installs only what is missing).

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
MESHOTA    := $(BUILD)/sim/meshota
# The default scenario set of `make demo`.
DEMO_SCENARIOS := scenarios/baseline-unicast-10.yaml scenarios/baseline-unicast-10-bursty.yaml \
                  scenarios/telemetry-f10-tree.yaml \
                  scenarios/baseline-unicast-50.yaml scenarios/baseline-broadcast-10.yaml \
                  scenarios/baseline-broadcast-10-relay.yaml scenarios/baseline-forced-10.yaml \
                  scenarios/baseline-unicast-10-radio.yaml scenarios/baseline-unicast-10-bursty-radio.yaml \
                  scenarios/baseline-unicast-50-radio.yaml scenarios/baseline-broadcast-10-radio.yaml \
                  scenarios/baseline-broadcast-10-relay-radio.yaml scenarios/baseline-forced-10-radio.yaml \
                  scenarios/fleet-f10-tree.yaml scenarios/fleet-f10-tree-broadcast.yaml \
                  scenarios/fleet-f10-tree-unicast.yaml

.PHONY: all setup build demo test test-asan cross bench clean

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
	scripts/cross-check.sh $(BUILD)/cross
	$(MAKE) test-asan

# The same tests under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: setup
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMESHOTA_SANITIZE=ON -DMESHOTA_WERROR=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

cross: setup
	scripts/cross-check.sh $(BUILD)/cross

# Engine and scenario benchmarks (numbers, not pass/fail).
bench: build
	scripts/bench.sh $(MESHOTA)
	PYTHONPATH=$(BUILD)/python /usr/bin/python3 python/bench/bench_python.py --meshota $(MESHOTA)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) out
