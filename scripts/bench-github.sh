#!/usr/bin/env bash
# The GitHub benchmark of docs/performance.md (section "GitHub"): builds the reactor, then runs the benchmark main
# class com.nexflux.integrations.app.bench.github.GitHubBench (integrations-app test sources) on integrations-app's
# test class path, the same way scripts/bench.sh runs its benchmark. In one JVM, all on 127.0.0.1, it starts an
# embedded PostgreSQL, the contract-checked GitHub fake (FakeGitHub) and a token endpoint with rotating refresh
# tokens, then measures
#   1. GitHub API requests per sync for 1, 10, 100 and 500 text projects (changed and unchanged), next to the
#      computed cost of a naive per-file Contents API client;
#   2. the token refresh sweeper over 10,000 due tokens: one instance (baseline), then two instances at once,
#      counting refresh calls per refresh token (duplicates must be 0) and the rate.
# It prints tables with PASS/FAIL per target and writes them to integrations-app/target/bench/github-results.md.
# It exits 0 whatever the figures (1 when it cannot run at all). The fakes are JDK HttpServers; the benchmark turns
# their Nagle delay off (sun.net.httpserver.nodelay=true) unless BENCH_GH_JAVA_OPTS sets the property itself.
#
# Knobs (environment): BENCH_GH_PARTS (sync,sweeper), BENCH_GH_SIZES (1,10,100,500), BENCH_GH_SYNC_ROUNDS (3),
# BENCH_GH_TOKENS (10000), BENCH_GH_WARMUP_TOKENS (3000, per configuration), BENCH_GH_SWEEP_ROUNDS (2), BENCH_GH_TOKEN_LATENCY_MS (0),
# BENCH_GH_SWEEP_MINUTES (10, per phase), BENCH_GH_POOL_SIZE (10, per instance), BENCH_GH_MAX_MINUTES (45),
# BENCH_GH_JAVA_OPTS (-Xms256m -Xmx2g), BENCH_SKIP_BUILD=1 (reuse the last build).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
  mvn -q -B -ntp -DskipTests install
fi

mkdir -p integrations-app/target/bench
cp_file="$PWD/integrations-app/target/bench/github-classpath.txt"
mvn -q -B -ntp -pl integrations-app \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"

# Run from a private copy of what was just built (the app's classes and test classes, this project's own module
# jars from the local repository): a rebuild in this tree or a `mvn install` elsewhere while the benchmark runs must
# not swap classes under it. Third-party jars are used in place.
snap="$(mktemp -d "${TMPDIR:-/tmp}/nexflux-bench-github.XXXXXX")"
trap 'rm -rf "$snap"' EXIT
mkdir -p "$snap/lib"
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

revision="$(git describe --always --dirty 2>/dev/null || echo unknown)"
# shellcheck disable=SC2086
BENCH_REVISION="$revision" java ${BENCH_GH_JAVA_OPTS:--Xms256m -Xmx2g} -cp "$cp_snap" \
  com.nexflux.integrations.app.bench.github.GitHubBench "$@"
