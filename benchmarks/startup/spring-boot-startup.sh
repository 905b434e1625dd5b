#!/usr/bin/env bash
# Start-up cost of resilience-spring-boot-starter: wall time of the example service's JVM from launch to
# the end of the context refresh (-Dspring.context.exit=onRefresh ends the JVM there), with the starter's
# auto-configurations and without any of them: "without" excludes every class the starter registers in its
# AutoConfiguration.imports, read from that file, so a new auto-configuration is excluded too. The service
# then runs its annotated methods unproxied, on Boot's own DataSource, without limiters, backups or our health
# contributors; readiness group membership is not validated on either side, since the example's readiness
# group names the starter's "resilience" contributor. Every run must start: a run that fails stops the script
# with its log, so a failed start is never timed as a fast one. Runs alternate so machine load drifts hit both
# sides alike. Needs PostgreSQL on 127.0.0.1:5432. Timings taken on a loaded machine are not results.
# Usage: benchmarks/startup/spring-boot-startup.sh [runs]   (after: mvn -B -pl examples/spring-boot -am package -DskipTests)
set -euo pipefail
runs=${1:-10}
jar=examples/spring-boot/target/resilience-spring-boot-example.jar
imports=resilience-spring-boot-starter/src/main/resources/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports
[[ -f $jar ]] || { echo "no $jar: build it first (see Usage)" >&2; exit 2; }
# one class name a line; comments (#) and blank lines are not names
exclude=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$imports" | grep -v '^$' | paste -sd, -)
[[ -n $exclude ]] || { echo "no auto-configuration found in $imports" >&2; exit 2; }
log=$(mktemp); trap 'rm -f "$log"' EXIT
one() {
  local start end
  start=$(date +%s%N)
  if ! java -Dspring.context.exit=onRefresh -jar "$jar" --server.port=0 --logging.level.root=WARN \
      --management.endpoint.health.validate-group-membership=false "$@" >"$log" 2>&1; then
    echo "the service did not start (${*:-with the starter}):" >&2; tail -40 "$log" >&2; exit 1
  fi
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
echo "excluded for \"without\": ${exclude//,/ }"
with=(); without=()
for i in $(seq 1 "$runs"); do
  with+=("$(one)")
  without+=("$(one --spring.autoconfigure.exclude="$exclude")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mw=$(median "${with[@]}"); mo=$(median "${without[@]}")
echo "with starter (ms):    ${with[*]}  median $mw"
echo "without starter (ms): ${without[*]}  median $mo"
awk -v a="$mw" -v b="$mo" 'BEGIN {printf "ratio with/without (medians): %.3f\n", a/b}'
echo "load: $(uptime)"
