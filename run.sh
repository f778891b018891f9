#!/bin/sh
# The run command (README): installs what it needs, builds, provisions a demo
# Samba AD DC under DIR (default ./demo) on 127.0.0.1, installs the module and
# runs samba in the foreground. Needs root.
set -eu
cd "$(dirname "$0")"
top=$(pwd)
dir="${1:-$top/demo}"

sh buildtools/install-deps.sh
if [ ! -f "$top/build/build.ninja" ]; then
	meson setup "$top/build" --prefix=/usr >/dev/null
fi
ninja -C "$top/build"
exec /usr/bin/python3 buildtools/demo.py "$top/build" "$dir" "${OC_DEMO_IP:-127.0.0.1}"
