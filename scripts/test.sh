#!/usr/bin/env bash
# Runs every test of the reactor. The tests start what they need themselves (embedded PostgreSQL, an
# in-process HiveMQ broker, local fake servers); the one outside program they use is Debian's mosquitto
# (for a broker that publishes its $SYS version), installed here when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
  echo "scripts/test.sh: installing mosquitto (Debian package) for the broker tests"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends mosquitto mosquitto-clients >/dev/null
fi

exec mvn -B -ntp verify "$@"
