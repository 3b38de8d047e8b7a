# The porcelain: `make run` serves authd on :8000 with the embedded SQLite store in ./data;
# `make test` runs every test. Both install what is missing first.
.PHONY: run test fmt deps build-release build-dev build-asan clean

PORT ?= 8000
DATA_DIR ?= ./data

deps:
	@scripts/install-deps

build-%: deps
	cmake --preset $*
	cmake --build --preset $*

run: build-release
	AUTHD_DATA_DIR=$(DATA_DIR) ./build/release/authd migrate up
	AUTHD_DATA_DIR=$(DATA_DIR) AUTHD_PORT=$(PORT) exec ./build/release/authd serve

test: build-dev build-asan
	ctest --preset dev
	ctest --preset asan

fmt:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build
