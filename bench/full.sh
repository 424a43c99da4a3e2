#!/usr/bin/env bash
# Usage: bench/full.sh            (one command for the whole comparison; see bench/README.md)
#   DATASETS="1 5 big" RUNS=3 bench/full.sh
#
# For every dataset in DATASETS, in turn: start the lab's servers, load the data, run bench/run.sh
# (RUNS interleaved runs of every method, each one verified), keep its results, stop the servers.
#   1, 5, ...  the lab's multi-database dataset at that SCALE (gen-data.sh), methods MIXED_METHODS
#   big        the big-table dataset (bench/gen-bigtable.sh BIG_SCALE, default 300) in a lab copy
#              of its own, BIG_BENCH_DIR (default $BENCH_DIR-bigtable, same ports), methods
#              BIG_METHODS: copying the big table in key ranges or in one piece
# Results: $OUT/<dataset>/results/summary.md (the table) and results.tsv, $OUT/<dataset>/logs/;
# all tables together in $OUT/summary.md. OUT defaults to $BENCH_DIR/full-DATE. The servers are
# stopped after each dataset, also when a step fails; the data stays.
source "$(dirname "$0")/lab.sh" # REPO, LAB_DIR and the lab's lib.sh

DATASETS=${DATASETS:-1 5 big}
BIG_SCALE=${BIG_SCALE:-300}
MIXED_METHODS=${MIXED_METHODS:-limit naive dump-restore pgcopydb pgcopydb-split pg-migrate-j2 pg-migrate-j2-stream pg-migrate-j2-stream-nosplit}
BIG_METHODS=${BIG_METHODS:-limit pgcopydb pgcopydb-split pg-migrate-j2-stream pg-migrate-j2-stream-nosplit}
BIG_BENCH_DIR=${BIG_BENCH_DIR:-$BENCH_DIR-bigtable}
OUT=${OUT:-$BENCH_DIR/full-$(date +%Y%m%d-%H%M%S)}
export RUNS

run_dataset() { # run_dataset NAME METHODS LOAD-COMMAND...
  local name=$1 methods=$2; shift 2
  log "dataset $name: servers in $BENCH_DIR, loading with: $*"
  "$LAB_DIR/servers.sh" start
  trap '"$LAB_DIR/servers.sh" stop' EXIT # also when a step fails
  "$@"
  METHODS=$methods APPEND= "$REPO/bench/run.sh"
  mkdir -p "$OUT/$name"
  mv "$BENCH_DIR/results" "$BENCH_DIR/logs" "$OUT/$name/"
  "$LAB_DIR/servers.sh" stop
  trap - EXIT
}

mkdir -p "$OUT"
for d in $DATASETS; do
  case $d in
    big) (export BENCH_DIR=$BIG_BENCH_DIR
          run_dataset bigtable "$BIG_METHODS" "$REPO/bench/gen-bigtable.sh" "$BIG_SCALE") ;;
    *) run_dataset "scale$d" "$MIXED_METHODS" "$LAB_DIR/gen-data.sh" "$d" ;;
  esac
done
for d in $DATASETS; do
  case $d in big) name=bigtable ;; *) name=scale$d ;; esac
  printf '## %s\n\n' "$name"
  cat "$OUT/$name/results/summary.md"
  echo
done | tee "$OUT/summary.md"
echo "results: $OUT/"
