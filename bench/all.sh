#!/usr/bin/env bash
# Every benchmark, one after another, each printing its own figures.
#
#   bench/all.sh              # trends, load, faults, replica, scale (bench/trends.sh first
#                             # builds hearth_bench if it is missing: a few minutes)
#   BUILD_10K=1 bench/all.sh  # also builds hearth_bench_10k for scale.sh (about 25 minutes);
#                             # without it scale.sh measures only the databases that exist
#
# Each script starts and stops its own services (see docs/scaling.md for their ports). Runs them
# all even if one fails, then exits 1 naming those that did (a lost save fails load.sh).
set -uo pipefail
cd "$(dirname "$0")/.."

echo "code: $(git log -1 --format='%h %s' 2>/dev/null || echo unknown)$(git status --porcelain 2>/dev/null | grep -q . && echo ' (with uncommitted changes)')"
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB memory"
failed=()
for script in trends load faults replica scale; do
  echo
  echo "######## bench/${script}.sh   $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  bench/"${script}".sh || failed+=("${script}.sh")
done
echo
echo "finished $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
