# The two commands of the README: `make run` and `make test`. Both install what is missing first.
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
ifeq ($(CI),true)
  CMAKE_FLAGS += -DTB_WERROR=ON
endif
TB := $(BUILD)/src/app/tradebridge

.PHONY: all setup build test run bench fuzz format format-check tidy clean

all: build

setup:
	@bash scripts/setup.sh

build: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

run: build
	@bash scripts/run.sh $(TB)

# The libFuzzer targets (tests/fuzz/), FUZZ_SECONDS each, two at a time; `make test` runs them 20 s each.
# New inputs and any crash go to build/fuzz/work/<target>/, never into the repository's corpus.
FUZZ_SECONDS ?= 300
fuzz: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target tb_fuzz
	@bash tests/fuzz/run_all.sh $(BUILD)/fuzz $(FUZZ_SECONDS) $(JOBS)

bench: build
	@bash scripts/bench.sh $(BUILD)

# The habits of docs/ARCHITECTURE.md. `make format` rewrites every C++ file of src/, tests/ and bench/ as
# .clang-format says; `make format-check` lists the files it would change (and fails if there is one).
# `make tidy` runs clang-tidy with .clang-tidy over src/, as the build compiles it. The web app's types are
# checked by `make test` (ctest style_web_types: node scripts/check_web.mjs).
format: setup
	@git ls-files -z -- 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp' | xargs -0 -P $(JOBS) -n 16 clang-format -i --style=file

format-check: setup
	@bash scripts/check_format.sh

tidy: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@JOBS=$(JOBS) node scripts/tidy.mjs $(BUILD)

clean:
	rm -rf $(BUILD)
