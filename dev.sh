#!/usr/bin/env bash
# Builds what the demo needs and starts it: PostgreSQL, Keycloak 26.7.3 with jit-columns, the acme realm
# and the analytics database. Options: ./dev.sh --help. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"

mvn -q -DskipTests package -pl dev-server -am
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "dev-server/target/classes:dev-server/target/lib/*" dev.jitcolumns.dev.DevServer "$@"
