# The project's commands. `make demo` and `make test` are the front door (see README).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

help:
	@echo "make demo   build the package, start the local Chatwoot, serve www/"
	@echo "make test   every test: lint, native, devserver, wasm build"
	@echo "make pkg    build the npm package into pkg/"
	@echo "make fuzz   every fuzz target for 1,000,000 executions"
	@echo "make bench  the benchmark table (P1-P5) in headless Chromium"
	@echo "make docs   the API reference into target/api-docs/"
	@echo "make coverage  line coverage of the engine and the models"
	@echo "make mutants   mutation scores of the models and the request builders"

setup:
	@scripts/setup.sh

lint: setup
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib -- -D warnings

test-native: setup
	cargo test --workspace

pkg: setup
	scripts/build-pkg.sh

test: lint test-native test-fuzz test-wasm test-types test-js

demo: pkg
	scripts/demo.sh

.PHONY: help setup lint test-native pkg test demo

test-js: pkg
	cargo build -p devserver
	# Two files at a time: each may start a Chromium and a devserver, on 2 cores.
	node --test --test-concurrency=2 --test-timeout=240000 tests/js/*.test.mjs

.PHONY: test-js

# Bindings in headless Chromium (runner and flags: .cargo/config.toml, webdriver.json).
test-wasm: setup
	CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --tests

.PHONY: test-wasm

# The public types as a contract: a consumer file using every class, method, event and
# error code compiles strictly, and the packaged .d.ts equals the committed copy.
test-types: pkg
	node_modules/.bin/tsc -p tests/types/tsconfig.json
	scripts/check-api.sh
	node_modules/.bin/typedoc --logLevel Warn

# The API reference (HTML, from the doc comments of index.d.ts) into target/api-docs/.
docs: pkg
	node_modules/.bin/typedoc
	@echo "open target/api-docs/index.html"

.PHONY: docs

.PHONY: test-types

# Every fuzz target: a short run (4 s each) in `make test`, 1,000,000 executions each here.
test-fuzz: setup
	scripts/fuzz.sh

fuzz: setup
	scripts/fuzz.sh --runs 1000000

.PHONY: test-fuzz fuzz

# Mutation testing of the models and the request builders (cargo-mutants; tens of
# minutes, not in `make test`): prints each score, survivors in target/mutants/.
mutants: setup
	scripts/mutants.sh

.PHONY: mutants

# The benchmark table (bench/run.mjs) against a release devserver; writes bench-output/.
bench: pkg
	cargo build --release -p devserver
	DEVSERVER_BIN=target/release/devserver node bench/run.mjs

.PHONY: bench

# Line coverage of the engine and the models (native tests), with cargo-llvm-cov
# (installed here when missing; not part of `make test`).
coverage: setup
	@rustup component list --installed | grep -q '^llvm-tools' || rustup component add llvm-tools-preview
	@cargo llvm-cov --version >/dev/null 2>&1 || cargo install cargo-llvm-cov
	cargo llvm-cov -p chatwoot-inbox-sdk -p chatwoot-inbox-model --summary-only

.PHONY: coverage
