#!/bin/sh
# Install what building, running and testing OpenChange needs on Debian 12.
# Idempotent: installs only the packages that are missing; needs root when it
# has something to install.
set -eu

PACKAGES="
  gcc clang libclang-rt-14-dev pkg-config meson ninja-build python3
  samba samba-dev samba-ad-dc samba-ad-provision samba-dsdb-modules winbind
  python3-samba python3-impacket
  ldb-tools libtalloc-dev libtevent-dev libldb-dev
  libcmocka-dev libsqlite3-dev sqlite3
  libmariadb-dev mariadb-server
  procps iproute2
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

echo "install-deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: need root to install packages (run with sudo)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
# Debian's samba packages start daemons; the project runs its own DCs.
for svc in samba-ad-dc smbd nmbd winbind mariadb; do
	if command -v service >/dev/null 2>&1; then
		service "$svc" stop >/dev/null 2>&1 || true
	fi
done
