#!/bin/sh
# The test command (README): installs what it needs, builds, runs every test
# (unit, fuzz-corpus replays, integration against real Samba AD DCs), then
# rebuilds with ASan+UBSan and runs the unit and fuzz-replay suites again.
# Needs root (package installs; the module goes into Samba's modules dir).
set -eu
cd "$(dirname "$0")"
top=$(pwd)

sh buildtools/install-deps.sh

build="$top/build"
asan="$top/build-asan"
export OC_TEST_TMPDIR="${OC_TEST_TMPDIR:-$(mktemp -d /tmp/oc-test.XXXXXX)}"

if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" --prefix=/usr >/dev/null
fi
ninja -C "$build"

status=0
meson test -C "$build" --print-errorlogs --num-processes 2 || status=1

if [ ! -f "$asan/build.ninja" ]; then
	meson setup "$asan" -Db_sanitize=address,undefined -Db_lundef=false \
		-Dintegration=false >/dev/null
fi
ninja -C "$asan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	meson test -C "$asan" --print-errorlogs --num-processes 2 || status=1

/usr/bin/python3 buildtools/test-summary.py \
	"$build/meson-logs/testlog.json" "$asan/meson-logs/testlog.json" || status=1
exit $status
