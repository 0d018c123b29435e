# The two commands of the README, over CMake:
#   make demo    install what is missing, build, run Netra on examples/
#   make check   install what is missing, build, run every test
BUILD   ?= build
JOBS    ?= 2
WERROR  ?= OFF
CMAKE_ARGS ?=

.PHONY: all deps configure build demo check clean fuzz

all: build

deps:
	@./scripts/deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DNETRA_WERROR=$(WERROR) $(CMAKE_ARGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j$(JOBS)

demo: build
	@./scripts/demo.sh $(BUILD)

check: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

clean:
	rm -rf $(BUILD)
