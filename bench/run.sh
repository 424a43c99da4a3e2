#!/usr/bin/env bash
# Usage: bench/run.sh            (lab servers started and loaded: see bench/README.md)
#   RUNS=3 METHODS="limit naive dump-restore pg-migrate-j2 pg-migrate" bench/run.sh
#
# Times pg-migrate against the benchmark lab's baselines on the same servers, interleaved
# (run 1 of every method, then run 2 ...). Every run goes through the lab's own run_method:
# reset-target, CHECKPOINT on both servers, 2 s pause, wall time and CPU accounting, then
# verify.sh (exact counts of every table on both sides + metadata). Results are rows of the
# lab's $BENCH_DIR/results/results.tsv; the table at the end is the lab's summarize.sh.
#
# Methods (METHODS, default "limit naive dump-restore pg-migrate-j2 pg-migrate"):
#   limit naive dump-restore ...  the lab's methods (see the lab's README)
#   pg-migrate-j2   pg-migrate --dump-jobs $JOBS --restore-jobs $JOBS --max-parallel $JOBS
#                   (JOBS=2, the lab's parallelism: comparable with the baselines)
#   pg-migrate-j2-delayed  the same, with the lab's biggest table (events.events) in the delayed phase
#   pg-migrate-j2-stream   stream mode (COPY piped between the servers), --table-jobs $JOBS
#   pg-migrate      pg-migrate with its default parallelism
# PGM_FLAGS adds flags to both pg-migrate methods (e.g. "--compress none").
#
# The lab lives next to the project: LAB_DIR defaults to ../shared/bench relative to the
# repository root (where the lab's README says it is); set LAB_DIR when the checkout is
# elsewhere (a git worktree, for instance). BENCH_DIR and the lab's other knobs pass through.
# Earlier results (results/ and logs/) are moved aside first, to $BENCH_DIR/saved/DATE/,
# unless APPEND=1. One round of the default METHODS took about 6 min at SCALE=1 on the
# 2-core machine while other work was running (less on a quiet machine).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAB_DIR=${LAB_DIR:-$REPO/../shared/bench}
[ -f "$LAB_DIR/lib.sh" ] && [ -f "$LAB_DIR/baselines.sh" ] ||
  { echo "benchmark lab not found in $LAB_DIR: set LAB_DIR to the folder holding servers.sh and baselines.sh" >&2; exit 2; }
LAB_DIR=$(cd "$LAB_DIR" && pwd)
PGM="$REPO/pg-migrate"

# shellcheck source=/dev/null
source "$LAB_DIR/lib.sh" # BENCH_DIR, ports, passwords, PATH with the client tools, psql_src/psql_dst, log
RUNS=${RUNS:-3}
METHODS=${METHODS:-limit naive dump-restore pg-migrate-j2 pg-migrate}
PGM_FLAGS=${PGM_FLAGS:-}
for m in $METHODS; do # an unknown name would be timed as an empty run
  case $m in
    limit|naive|dump-restore|dump-restore-z0|pgcopydb|pgcopydb-all|pg-migrate|pg-migrate-j2|pg-migrate-j2-delayed|pg-migrate-j2-stream) ;;
    *) echo "unknown method '$m' in METHODS" >&2; exit 2 ;;
  esac
done

psql_src postgres -At -c 'SELECT 1' >/dev/null 2>&1 && psql_dst postgres -At -c 'SELECT 1' >/dev/null 2>&1 ||
  { echo "the lab's servers do not answer: run $LAB_DIR/servers.sh start (and gen-data.sh) first" >&2; exit 2; }
[ -n "$(list_dbs src)" ] || { echo "the source has no databases: run $LAB_DIR/gen-data.sh 1 first" >&2; exit 2; }

if [ "$(wc -l 2>/dev/null <"$BENCH_DIR/results/results.tsv" || echo 0)" -gt 1 ] && [ "${APPEND:-}" != 1 ]; then
  saved="$BENCH_DIR/saved/$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$saved"
  mv "$BENCH_DIR/results" "$saved/results"
  [ -d "$BENCH_DIR/logs" ] && mv "$BENCH_DIR/logs" "$saved/logs"
  log "earlier results moved to $saved (APPEND=1 keeps adding to them)"
fi

# The lab's definitions (helpers, methods, run_method, limit preparation) without its main
# loop, with one line added to run_method's dispatch so pg-migrate runs are measured,
# verified and recorded exactly like the baselines.
lab_definitions() {
  sed -e '/^source .*lib\.sh"$/d' \
      -e '/^\[ "\$TCK" = 100 \]/,$d' \
      -e 's/^\( *\)limit) m_limit ;;$/&\n\1pg-migrate*) m_pgmigrate "$m" ;;/' \
      "$LAB_DIR/baselines.sh"
}
# shellcheck source=/dev/null
source <(lab_definitions)
declare -F run_method limit_prepare >/dev/null && declare -f run_method | grep -q m_pgmigrate ||
  { echo "$LAB_DIR/baselines.sh changed shape: cannot reuse its run_method; update lab_definitions in $0" >&2; exit 2; }
[ "$TCK" = 100 ] || { echo "CLK_TCK is $TCK, expected 100" >&2; exit 1; }

PGM_WORK="$WORK/pg-migrate"

# Called by run_method inside its timed section; output goes to the run's log.
m_pgmigrate() { # m_pgmigrate METHOD
  local flags=()
  case $1 in
    pg-migrate-j2) flags=(--dump-jobs "$JOBS" --restore-jobs "$JOBS" --max-parallel "$JOBS") ;;
    pg-migrate-j2-delayed) flags=(--dump-jobs "$JOBS" --restore-jobs "$JOBS" --max-parallel "$JOBS"
                                  --delay-table-data events.events) ;;
    pg-migrate-j2-stream) flags=(--mode stream --dump-jobs "$JOBS" --restore-jobs "$JOBS" --table-jobs "$JOBS"
                                 --max-parallel "$JOBS") ;;
    pg-migrate) ;;
  esac
  # shellcheck disable=SC2206
  flags+=($PGM_FLAGS)
  local args=(--from-host "$HOST" --from-port "$SRC_PORT" --from-user postgres
              --to-host "$HOST" --to-port "$DST_PORT" --to-user postgres
              --pg-bin "$PG15_BIN" --state-dir "$PGM_WORK/state" --dump-root "$PGM_WORK/dumps" "${flags[@]}")
  echo "+ PGMIGRATE_FROM_PASS=*** PGMIGRATE_TO_PASS=*** $PGM ${args[*]}" >>"$LOG"
  local rc=0
  PGMIGRATE_FROM_PASS=$SRC_PASS PGMIGRATE_TO_PASS=$DST_PASS "$PGM" "${args[@]}" >>"$LOG" 2>&1 || rc=$?
  # run_method counts "exit N" lines as errors; the note column keeps the exit code and the flags.
  [ "$rc" = 0 ] || echo "pg-migrate exit $rc" >>"$LOG"
  LIMIT_NOTE="pg-migrate exit=$rc ${flags[*]}"
}

# The tool turns fsync etc. off on the target and must turn them back on; a baseline
# measured after a run that did not would be measured on a faster, unsafe server.
check_target_settings() {
  local left
  left=$(psql_dst postgres -At -c "SELECT string_agg(name || '=' || setting, ', ') FROM pg_settings
           WHERE sourcefile LIKE '%postgresql.auto.conf'")
  [ -z "$left" ] || { echo "the target still has ALTER SYSTEM settings after a pg-migrate run: $left" >&2; exit 1; }
}

# Build the jar now, not inside the first timed run.
"$PGM" --version >/dev/null

case " $METHODS " in *" limit "*) limit_prepare ;; esac
for r in $(seq 1 "$RUNS"); do
  round_start=$(now)
  for m in $METHODS; do
    case $m in
      pg-migrate*)
        rm -rf "$PGM_WORK"; mkdir -p "$PGM_WORK"
        run_method "$m" "$r"
        # keep the tool's own log and summary.json with the run's other logs
        cp -r "$PGM_WORK/state/pg_migrate_state/logs" "$LOGS/$m-run$r.tool-logs" 2>/dev/null || true
        cp "$PGM_WORK/state/pg_migrate_state/summary.json" "$LOGS/$m-run$r.summary.json" 2>/dev/null || true
        rm -rf "$PGM_WORK"
        check_target_settings
        ;;
      *) run_method "$m" "$r" ;;
    esac
  done
  log "round $r of $RUNS took $(secs "$round_start" "$(now)") s"
done
"$LAB_DIR/servers.sh" reset-target
echo
"$LAB_DIR/summarize.sh"
echo
echo "raw results: $TSV; logs: $LOGS/"
