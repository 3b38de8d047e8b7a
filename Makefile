# The porcelain: `make run` serves authd on :8000 with the embedded SQLite store in ./data;
# `make test` runs every test; `make bench` load-tests the release build (bench/README.md);
# `make package` builds the Debian package (docs/packaging.md). All install what is missing first.
.PHONY: run test test-dev bench package fmt deps build-release build-dev build-asan build-fuzz clean

PORT ?= 8000
DATA_DIR ?= ./data

deps:
	@scripts/install-deps

# One recipe per preset (phony targets take no pattern rules).
define build_preset
build-$(1): deps
	cmake --preset $(1)
	cmake --build --preset $(1)
endef
$(foreach preset,release dev asan fuzz,$(eval $(call build_preset,$(preset))))

run: build-release
	AUTHD_DATA_DIR=$(DATA_DIR) ./build/release/src/authd migrate up
	AUTHD_DATA_DIR=$(DATA_DIR) AUTHD_PORT=$(PORT) exec ./build/release/src/authd serve

# The Debian package of the release build: build/release/authd_<version>-1_<arch>.deb. Older
# packages are removed first, so that the name is unambiguous.
package: build-release
	rm -f build/release/authd_*.deb
	cpack --preset release

# Every test runs once, under ASan + UBSan; the fuzz preset's tests fuzz each target for a bounded
# time (tests/fuzz/README.md); the release build is the one `make run` serves and the package
# holds, whose test installs, runs and purges it when run as root. The same tests without
# sanitizers (the dev preset, for debugging) would double the build time of a cold `make test`
# for no test that the sanitizer run lacks: `make test-dev` runs them.
test: build-asan build-fuzz package
	rm -rf build/asan/test-server-logs
	ctest --preset asan
	tests/scan-server-logs build/asan/test-server-logs
	ctest --preset fuzz
	tests/package/check-package build/release/authd_*.deb

test-dev: build-dev
	rm -rf build/dev/test-server-logs
	ctest --preset dev
	tests/scan-server-logs build/dev/test-server-logs

# BENCH_* variables (and the AUTHD_* settings of the server) pass through: bench/run --help.
bench: build-release
	bench/run --authd ./build/release/src/authd

fmt:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build
