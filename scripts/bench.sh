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
# BENCH_JAR (measure another server jar, e.g. one built from an earlier commit, with this tree's benchmark),
# BENCH_LABEL (the label= of the bench-summary lines; default: the revision or BENCH_JAR), BENCH_MVN_OPTS (extra
# Maven options, e.g. -o), BENCH_DEPENDENCY_PLUGIN (the dependency plugin's coordinates, default
# org.apache.maven.plugins:maven-dependency-plugin:3.8.1).
#
# The build never installs: one reactor invocation packages every module and writes integrations-app's test class
# path in the same session, so Maven resolves the project's own modules to this tree's target/*.jar (the reactor),
# not to whatever another build last installed in the shared local repository. (`install` was only needed when
# the class path was resolved by a separate `-pl integrations-app` call, which reads the local repository.)
set -euo pipefail
cd "$(dirname "$0")/.."

read -r -a mvn_opts <<< "${BENCH_MVN_OPTS:-}"
dependency_plugin="${BENCH_DEPENDENCY_PLUGIN:-org.apache.maven.plugins:maven-dependency-plugin:3.8.1}"
cp_file="$PWD/integrations-app/target/bench/classpath.txt"

if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
  # -pl integrations-app -am: the app and every module it depends on (the whole reactor). The relative output file
  # is per module (each module's target/bench/classpath.txt); the app's is the one used below.
  mvn -q -B -ntp "${mvn_opts[@]}" -DskipTests -pl integrations-app -am \
    package "$dependency_plugin:build-classpath" \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
fi

if [ ! -f integrations-app/target/test-classes/com/nexflux/integrations/app/bench/Bench.class ] \
    || [ ! -f "${BENCH_JAR:-integrations-app/target/integrations-app.jar}" ] || [ ! -f "$cp_file" ]; then
  echo "scripts/bench.sh: the build output is missing (was target/ cleaned?); run without BENCH_SKIP_BUILD" >&2
  exit 1
fi
IFS=":" read -r -a entries < "$cp_file" || true  # no newline at the end of the file
# The project's own modules must come from this tree's build, all of them present.
for module in integrations-core integrations-providers integrations-persistence integrations-http; do
  found=0
  for entry in "${entries[@]}"; do
    case "$entry" in
      "$PWD/$module/target/"*.jar) [ -f "$entry" ] && found=1 ;;
    esac
  done
  if [ "$found" != "1" ]; then
    echo "scripts/bench.sh: $cp_file has no $module jar of this tree's build; run without BENCH_SKIP_BUILD" >&2
    exit 1
  fi
done

# Run from a private copy of what was just built (the server jar, the bench classes, this project's own module
# jars from this tree's target/ directories): a rebuild in this tree while the benchmark runs must not swap classes
# under the two JVMs. Third-party jars are used in place from the local repository.
snap="$(mktemp -d "${TMPDIR:-/tmp}/nexflux-bench.XXXXXX")"
trap 'rm -rf "$snap"' EXIT
mkdir -p "$snap/lib"
cp "${BENCH_JAR:-integrations-app/target/integrations-app.jar}" "$snap/integrations-app.jar"
cp -r integrations-app/target/classes "$snap/classes"
cp -r integrations-app/target/test-classes "$snap/test-classes"
cp_snap="$snap/test-classes:$snap/classes"
for entry in "${entries[@]}"; do
  case "$entry" in
    "$PWD"/*) cp "$entry" "$snap/lib/" && cp_snap="$cp_snap:$snap/lib/$(basename "$entry")" ;;
    */com/nexflux/*)
      echo "scripts/bench.sh: $entry is this project's module from the local repository, not this tree's build;" \
        "run without BENCH_SKIP_BUILD" >&2
      exit 1 ;;
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
