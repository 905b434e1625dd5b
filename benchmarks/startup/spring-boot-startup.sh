#!/usr/bin/env bash
# Start-up cost of resilience-spring-boot-starter: wall time of the example service's JVM from launch to
# the end of the context refresh (-Dspring.context.exit=onRefresh ends the JVM there), with the starter's
# auto-configurations and without them (excluded; the service then runs its annotated methods unproxied).
# Runs alternate so machine load drifts hit both sides alike. Needs PostgreSQL on 127.0.0.1:5432.
# Usage: benchmarks/startup/spring-boot-startup.sh [runs]   (after: mvn -B -pl examples/spring-boot -am package -DskipTests)
set -euo pipefail
runs=${1:-10}
jar=examples/spring-boot/target/resilience-spring-boot-example.jar
exclude=dev.resilience.spring.boot.ResilienceCoreAutoConfiguration,dev.resilience.spring.boot.annotation.ResilienceAnnotationsAutoConfiguration,dev.resilience.spring.boot.health.ResilienceHealthAutoConfiguration
one() {
  local start end
  start=$(date +%s%N)
  java -Dspring.context.exit=onRefresh -jar "$jar" --server.port=0 --logging.level.root=WARN "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
with=(); without=()
for i in $(seq 1 "$runs"); do
  with+=("$(one)")
  without+=("$(one --spring.autoconfigure.exclude=$exclude)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mw=$(median "${with[@]}"); mo=$(median "${without[@]}")
echo "with starter (ms):    ${with[*]}  median $mw"
echo "without starter (ms): ${without[*]}  median $mo"
awk -v a="$mw" -v b="$mo" 'BEGIN {printf "ratio with/without (medians): %.3f\n", a/b}'
echo "load: $(uptime)"
