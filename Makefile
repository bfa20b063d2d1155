# Thin wrapper over CMake. `make test` builds with sanitizers and runs every
# test; `make demo` runs a whole month on synthetic data; `make bench` measures.
# Missing Debian build dependencies are installed when run as root; otherwise
# the one apt-get line that installs them is printed.

BUILD        ?= build
JOBS         ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE        ?= cmake

# Needed to build and test (clang-format-14: the pinned version `make test` checks with).
DEPS     = cmake make gcc pkg-config libgit2-dev libsodium-dev libssl-dev libcjson-dev libcmocka-dev zlib1g-dev libisal-dev \
           libglpk-dev libgsl-dev libutf8proc-dev tzdata gettext \
           git openssh-client python3 coreutils clang-format-14
# Used by tests and benchmarks when present; their tests skip with a message otherwise.
# clang and libclang-rt-dev (its sanitizer and libFuzzer runtimes, only
# recommended by clang) build the fuzz targets.
FUZZDEPS = clang libclang-rt-dev
OPTIONAL = chromium python3-pandas python3-scipy r-cran-survey openssh-server $(FUZZDEPS)

.PHONY: all deps deps-optional build release test demo bench fuzz clean format

all: release

deps:
	@missing=""; for p in $(DEPS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "missing build dependencies; install them with:"; \
	    echo "  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

deps-optional: deps
	@missing=""; for p in $(OPTIONAL); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ]; then \
	  echo "installing optional test tools:$$missing"; \
	  { apt-get update -qq || true; } && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing \
	    || echo "optional tools not installed; the tests that need them will skip"; \
	elif [ -n "$$missing" ]; then \
	  echo "optional test tools missing (tests that need them skip):$$missing"; \
	fi

release: deps
	$(CMAKE) -S . -B $(BUILD)/release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DSS_BENCH=ON
	$(CMAKE) --build $(BUILD)/release -j $(JOBS)

build: deps
	$(CMAKE) -S . -B $(BUILD)/asan -DCMAKE_BUILD_TYPE=Debug -DSS_SANITIZE=ON -DSS_WERROR=ON
	$(CMAKE) --build $(BUILD)/asan -j $(JOBS)

test: deps-optional build
	cd $(BUILD)/asan && ctest --output-on-failure -j $(JOBS)

demo: release
	$(BUILD)/release/ssaudit demo $(BUILD)/demo

bench: deps-optional release
	tests/bench/run.sh $(BUILD)/release

# Every fuzz target for FUZZ_SECONDS (default 60) each over tests/fuzz/corpus/;
# what they find and any crash files go to $(BUILD)/fuzz/fuzz-out/.
fuzz: deps
	@$(MAKE) --no-print-directory deps DEPS="$(FUZZDEPS)"
	CC=clang $(CMAKE) -S . -B $(BUILD)/fuzz -DCMAKE_BUILD_TYPE=Debug -DSS_FUZZ=ON -DBUILD_TESTING=OFF
	$(CMAKE) --build $(BUILD)/fuzz -j $(JOBS)
	tests/fuzz/run.sh $(BUILD)/fuzz

# Reformat every C file with the clang-format that `make test` checks with.
format: deps
	tests/format.sh --fix

clean:
	rm -rf $(BUILD)
