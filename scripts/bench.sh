#!/usr/bin/env bash
# The benchmark of docs/performance.md: builds the reactor, then runs the benchmark main class
# (integrations-app test sources, com.nexflux.integrations.app.bench.Bench) on integrations-app's test class path.
# It starts an embedded PostgreSQL, a TCP listener that never answers and the server jar as its own JVM, all on
# 127.0.0.1, measures, prints a report with PASS/FAIL per target and writes it to
# integrations-app/target/bench/results.md. It exits 0 whatever the figures (1 when it cannot run at all).
#
# Knobs (environment): BENCH_CONNECTIONS (32), BENCH_ROUNDS (3), BENCH_SECONDS (8), BENCH_WARMUP_SECONDS (30),
# BENCH_IDLE_SECONDS (5), BENCH_HUNG_TESTS (200), BENCH_MQTT_TEST_TIMEOUT_MS (5000), BENCH_DATABASE_POOL_SIZE
# (server default), BENCH_SERVER_JAVA_OPTS (none), BENCH_MAX_MINUTES (20), BENCH_SKIP_BUILD=1 (reuse the last build),
# BENCH_JAR (measure another server jar, e.g. a patched build, with this tree's benchmark).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
  mvn -q -B -ntp -DskipTests install
fi

mkdir -p integrations-app/target/bench
cp_file="$PWD/integrations-app/target/bench/classpath.txt"
mvn -q -B -ntp -pl integrations-app \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"

if [ ! -f integrations-app/target/test-classes/com/nexflux/integrations/app/bench/Bench.class ] \
    || [ ! -f "${BENCH_JAR:-integrations-app/target/integrations-app.jar}" ]; then
  echo "scripts/bench.sh: the build output is missing (was target/ cleaned?); run without BENCH_SKIP_BUILD" >&2
  exit 1
fi

# Run from a private copy of what was just built (the server jar, the bench classes, this project's own module
# jars from the local repository): a rebuild in this tree or a `mvn install` elsewhere while the benchmark runs
# must not swap classes under the two JVMs. Third-party jars are used in place.
snap="$(mktemp -d "${TMPDIR:-/tmp}/nexflux-bench.XXXXXX")"
trap 'rm -rf "$snap"' EXIT
mkdir -p "$snap/lib"
cp "${BENCH_JAR:-integrations-app/target/integrations-app.jar}" "$snap/integrations-app.jar"
cp -r integrations-app/target/classes "$snap/classes"
cp -r integrations-app/target/test-classes "$snap/test-classes"
cp_snap="$snap/test-classes:$snap/classes"
IFS=":" read -r -a entries < "$cp_file" || true  # no newline at the end of the file
for entry in "${entries[@]}"; do
  case "$entry" in
    */com/nexflux/*) cp "$entry" "$snap/lib/" && cp_snap="$cp_snap:$snap/lib/$(basename "$entry")" ;;
    *) cp_snap="$cp_snap:$entry" ;;
  esac
done

if [ -n "${BENCH_JAR:-}" ]; then
  revision="server jar $BENCH_JAR"
else
  revision="$(git describe --always --dirty 2>/dev/null || echo unknown)"
fi

status=0
BENCH_REVISION="$revision" BENCH_JAR="$snap/integrations-app.jar" java -Xms256m -Xmx1g \
  -Dlogback.configurationFile="$snap/classes/logback.xml" -cp "$cp_snap" \
  com.nexflux.integrations.app.bench.Bench "$@" || status=$?
exit "$status"
