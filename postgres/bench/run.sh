#!/usr/bin/env bash
# jit-columns PostgreSQL benchmark (not part of mvn verify).
#   postgres/bench/run.sh                  # embedded PostgreSQL (binaries of postgres-binaries.version)
#   postgres/bench/run.sh --rows 100000    # smaller table
#   postgres/bench/run.sh --port 5432      # a running server on 127.0.0.1 (user postgres, trust)
# psql and pgbench are taken from $PG_BIN (default /usr/lib/postgresql/15/bin).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here/.."
mvn -q ${MVN_OPTS:-} -pl postgres test-compile
mvn -q ${MVN_OPTS:-} -pl postgres dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$here/target/bench.classpath" >/dev/null
exec java -cp "$here/target/classes:$here/target/test-classes:$(cat "$here/target/bench.classpath")" \
    dev.jitcolumns.postgres.bench.Benchmark "$@"
