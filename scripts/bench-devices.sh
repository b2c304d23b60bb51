#!/usr/bin/env bash
# The device-inventory benchmark of docs/performance.md (section "Device inventory"): compiles the reactor, then runs
# com.nexflux.integrations.app.bench.devices.DeviceInventoryBench (integrations-app test sources) on
# integrations-app's test class path. In one JVM, all on 127.0.0.1, it starts an embedded PostgreSQL, FakeArduinoCloud,
# FakeBlynk and FakeThingsBoard each sleeping BENCH_DEV_LATENCY_MS before every request, and the standalone server
# (ARDUINO_REQUESTS_PER_SECOND=BENCH_DEV_ARDUINO_RPS), connects one user to all four device platforms and measures,
# side by side, each single provider's listing, GET .../mqtt, the cold inventory (?refresh=true) and the warm
# inventory (within Arduino's cache window), then a short phase under Arduino's default rate limit. It prints tables
# with PASS/FAIL per target and writes them to integrations-app/target/bench/devices-results.md. It exits 0 whatever
# the figures (1 when it cannot run at all).
#
# Knobs (environment): BENCH_DEV_ROUNDS (3), BENCH_DEV_REQUESTS (30, per endpoint per round), BENCH_DEV_WARMUP (50,
# per endpoint), BENCH_DEV_LATENCY_MS (50), BENCH_DEV_ARDUINO_RPS (100), BENCH_DEV_DEFAULT_RATE_REQUESTS (5; 0 skips
# that phase), BENCH_DEV_ARDUINO_DEVICES (3), BENCH_DEV_BLYNK_DEVICES (1), BENCH_DEV_THINGSBOARD_DEVICES (5),
# BENCH_DEV_MAX_MINUTES (10), BENCH_DEV_JAVA_OPTS (-Xms256m -Xmx1g), BENCH_SKIP_BUILD=1 (reuse the last build and the
# class path it wrote), BENCH_MVN_OPTS (extra Maven options, e.g. -o), BENCH_DEPENDENCY_PLUGIN (default
# org.apache.maven.plugins:maven-dependency-plugin:2.8, whose own dependencies ship with Maven 3.8 and so resolve
# offline).
#
# The build never installs anything: one reactor invocation compiles every module (main and test classes) and writes
# integrations-app's test class path in the same session, so the project's own modules resolve to this tree's
# */target/classes and */target/test-classes, never to what another build put in the shared ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."

read -r -a mvn_opts <<< "${BENCH_MVN_OPTS:-}"
dependency_plugin="${BENCH_DEPENDENCY_PLUGIN:-org.apache.maven.plugins:maven-dependency-plugin:2.8}"
cp_file="$PWD/integrations-app/target/bench/devices-classpath.txt"

if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
  # -pl integrations-app -am: the app and every module it depends on. The relative output file is per module; the
  # app's is the one used below.
  mvn -q -B -ntp "${mvn_opts[@]}" -DskipTests -pl integrations-app -am \
    test-compile "$dependency_plugin:build-classpath" \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/devices-classpath.txt
fi

main_class=com/nexflux/integrations/app/bench/devices/DeviceInventoryBench.class
if [ ! -f "integrations-app/target/test-classes/$main_class" ] || [ ! -f "$cp_file" ]; then
  echo "scripts/bench-devices.sh: the build output is missing (was target/ cleaned?); run without BENCH_SKIP_BUILD" >&2
  exit 1
fi
IFS=":" read -r -a entries < "$cp_file" || true  # no newline at the end of the file
# The project's own modules must come from this tree's build (the fakes live in the providers' test classes).
for dir in integrations-core/target/classes integrations-providers/target/classes \
    integrations-providers/target/test-classes integrations-persistence/target/classes \
    integrations-persistence/target/test-classes integrations-http/target/classes; do
  found=0
  for entry in "${entries[@]}"; do
    case "$entry" in
      "$PWD/$dir" | "$PWD/${dir%/*}/"*.jar) [ -e "$entry" ] && found=1 ;;
    esac
  done
  if [ "$found" != "1" ]; then
    echo "scripts/bench-devices.sh: $cp_file has no $dir of this tree's build; run without BENCH_SKIP_BUILD" >&2
    exit 1
  fi
done

# Run from a private copy of what was just built (this tree's class directories and jars): a rebuild of the tree
# while the benchmark runs must not swap classes under it. Third-party jars are used in place from ~/.m2.
snap="$(mktemp -d "${TMPDIR:-/tmp}/nexflux-bench-devices.XXXXXX")"
trap 'rm -rf "$snap"' EXIT
cp -r integrations-app/target/classes "$snap/app-classes"
cp -r integrations-app/target/test-classes "$snap/app-test-classes"
cp_snap="$snap/app-test-classes:$snap/app-classes"
i=0
for entry in "${entries[@]}"; do
  case "$entry" in
    "$PWD"/*)
      i=$((i + 1))
      copy="$snap/$i-$(basename "$(dirname "$entry")")-$(basename "$entry")"
      cp -r "$entry" "$copy"
      cp_snap="$cp_snap:$copy" ;;
    */com/nexflux/*)
      echo "scripts/bench-devices.sh: $entry is this project's module from the local repository, not this tree's" \
        "build; run without BENCH_SKIP_BUILD" >&2
      exit 1 ;;
    *) cp_snap="$cp_snap:$entry" ;;
  esac
done

revision="$(git describe --always --dirty 2>/dev/null || echo unknown)"
logback=()
if [ -f "$snap/app-classes/logback.xml" ]; then
  logback=(-Dlogback.configurationFile="$snap/app-classes/logback.xml")
fi
status=0
# shellcheck disable=SC2086
BENCH_REVISION="$revision" java ${BENCH_DEV_JAVA_OPTS:--Xms256m -Xmx1g} "${logback[@]}" -cp "$cp_snap" \
  com.nexflux.integrations.app.bench.devices.DeviceInventoryBench "$@" || status=$?
exit "$status"
