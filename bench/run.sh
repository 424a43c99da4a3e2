#!/usr/bin/env bash
# Usage: bench/run.sh            (lab servers started and loaded: see bench/README.md)
#   RUNS=3 METHODS="limit naive dump-restore pg-migrate-j2 pg-migrate" bench/run.sh
#
# Times pg-migrate against the benchmark lab's baselines on the same servers, interleaved
# (run 1 of every method, then run 2 ...). Every run goes through the lab's own run_method:
# reset-target, CHECKPOINT on both servers, 2 s pause, wall time and CPU accounting, then
# verify.sh (exact counts of every table on both sides + metadata). Results are rows of the
# lab's $BENCH_DIR/results/results.tsv; the table at the end is the lab's summarize.sh with
# pg-migrate's peak RSS and a ratio to pgcopydb's best run added.
#
# Methods (METHODS, default "limit naive dump-restore pg-migrate-j2 pg-migrate"):
#   limit naive dump-restore pgcopydb ...  the lab's methods (see the lab's README)
#   pgcopydb-split  the lab's pgcopydb with --split-tables-larger-than $PGCOPYDB_SPLIT (128MB)
#   pg-migrate-j2   pg-migrate --mode dump --dump-jobs $JOBS --restore-jobs $JOBS --max-parallel $JOBS
#                   (JOBS=2, the lab's parallelism: comparable with the baselines)
#   pg-migrate-j2-delayed  the same, with the lab's biggest table (events.events) in the delayed phase
#   pg-migrate-j2-stream   stream mode (COPY piped between the servers), --table-jobs $JOBS; tables from
#                   128MB up with an integer key are copied in key ranges (the tool's default)
#   pg-migrate-j2-stream-nosplit  the same with --split-tables-larger-than 0 (every table in one piece)
#   pg-migrate-j2-stream-lean  stream mode doing only what the baselines do: --skip-analyze (no VACUUM or
#                   ANALYZE) and --fast-verify (row estimates, no count(*) on either side)
#   pg-migrate-j2-stream-alt  pg-migrate-j2-stream run by another build: the launcher named by PGM_ALT
#                   (e.g. a worktree of main), for an interleaved A/B of a change
#   pg-migrate      pg-migrate with its defaults (stream mode, default parallelism)
# PGM_FLAGS adds flags to every pg-migrate method (e.g. "--compress none"). Each pg-migrate run is
# wrapped in GNU time (/usr/bin/time): its peak RSS goes into the note column and the table.
#
# The lab is found by bench/lab.sh (LAB_DIR, default ../shared/bench from the repository root);
# BENCH_DIR, SRC_PORT, DST_PORT and the lab's other knobs pass through to all its scripts.
# Earlier results (results/ and logs/) are moved aside first, to $BENCH_DIR/saved/DATE/,
# unless APPEND=1. One round of the default METHODS took about 6 min at SCALE=1 on the
# 2-core machine while other work was running (less on a quiet machine).
set -euo pipefail

source "$(dirname "$0")/lab.sh" # REPO, LAB_DIR and the lab's lib.sh
PGM="$REPO/pg-migrate"
RUNS=${RUNS:-3}
METHODS=${METHODS:-limit naive dump-restore pg-migrate-j2 pg-migrate}
PGM_FLAGS=${PGM_FLAGS:-}
PGCOPYDB_SPLIT=${PGCOPYDB_SPLIT:-128MB}
for m in $METHODS; do # an unknown name would be timed as an empty run
  case $m in
    limit|naive|dump-restore|dump-restore-z0|pgcopydb|pgcopydb-split|pgcopydb-all) ;;
    pg-migrate|pg-migrate-j2|pg-migrate-j2-delayed|pg-migrate-j2-stream|pg-migrate-j2-stream-nosplit|pg-migrate-j2-stream-lean) ;;
    pg-migrate-j2-stream-alt) [ -x "${PGM_ALT:-}" ] ||
      { echo "method $m needs PGM_ALT, the pg-migrate launcher of the other build" >&2; exit 2; } ;;
    *) echo "unknown method '$m' in METHODS" >&2; exit 2 ;;
  esac
  case $m in pgcopydb*) command -v pgcopydb >/dev/null ||
    { echo "method $m needs pgcopydb in PATH (Debian: apt-get install -y pgcopydb)" >&2; exit 2; } ;; esac
done
[ -x /usr/bin/time ] || { echo "GNU time is needed for the peak RSS (Debian: apt-get install -y time)" >&2; exit 2; }

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
# loop, with lines added to run_method's dispatch so pg-migrate and pgcopydb-split runs are
# measured, verified and recorded exactly like the baselines.
lab_definitions() {
  sed -e '/^source .*lib\.sh"$/d' \
      -e '/^\[ "\$TCK" = 100 \]/,$d' \
      -e 's/^\( *\)limit) m_limit ;;$/&\n\1pg-migrate*) m_pgmigrate "$m" ;;\n\1pgcopydb-split) m_pgcopydb_split ;;/' \
      "$LAB_DIR/baselines.sh"
}
# shellcheck source=/dev/null
source <(lab_definitions)
declare -F run_method limit_prepare >/dev/null && declare -f run_method | grep -q m_pgcopydb_split ||
  { echo "$LAB_DIR/baselines.sh changed shape: cannot reuse its run_method; update lab_definitions in $0" >&2; exit 2; }
[ "$TCK" = 100 ] || { echo "CLK_TCK is $TCK, expected 100" >&2; exit 1; }

PGM_WORK="$WORK/pg-migrate"

# pgcopydb 0.10 and later copy a big table with an integer key in parts, several at once, when asked.
m_pgcopydb_split() {
  PGCOPYDB_FLAGS="--split-tables-larger-than $PGCOPYDB_SPLIT $PGCOPYDB_FLAGS" m_pgcopydb
  LIMIT_NOTE="--split-tables-larger-than $PGCOPYDB_SPLIT" # the note column of results.tsv
}

# Called by run_method inside its timed section; output goes to the run's log.
m_pgmigrate() { # m_pgmigrate METHOD
  local flags=() pgm=$PGM
  case $1 in
    pg-migrate-j2) flags=(--mode dump --dump-jobs "$JOBS" --restore-jobs "$JOBS" --max-parallel "$JOBS") ;;
    pg-migrate-j2-delayed) flags=(--mode dump --dump-jobs "$JOBS" --restore-jobs "$JOBS" --max-parallel "$JOBS"
                                  --delay-table-data events.events) ;;
    pg-migrate-j2-stream*) flags=(--mode stream --dump-jobs "$JOBS" --restore-jobs "$JOBS" --table-jobs "$JOBS"
                                  --max-parallel "$JOBS") ;;&
    pg-migrate-j2-stream-nosplit) flags+=(--split-tables-larger-than 0) ;;
    pg-migrate-j2-stream-lean) flags+=(--skip-analyze --fast-verify) ;;
    pg-migrate-j2-stream-alt) pgm=$PGM_ALT ;;
    pg-migrate) ;;
  esac
  # shellcheck disable=SC2206
  flags+=($PGM_FLAGS)
  local args=(--from-host "$HOST" --from-port "$SRC_PORT" --from-user postgres
              --to-host "$HOST" --to-port "$DST_PORT" --to-user postgres
              --pg-bin "$PG15_BIN" --state-dir "$PGM_WORK/state" --dump-root "$PGM_WORK/dumps" "${flags[@]}")
  echo "+ PGMIGRATE_FROM_PASS=*** PGMIGRATE_TO_PASS=*** $pgm ${args[*]}" >>"$LOG"
  local rc=0 rss="${LOG%.log}.maxrss"
  # The launcher execs the JVM, so GNU time's %M is the JVM's peak RSS (or that of a child it
  # waited for, pg_dump or pg_restore, if one ever grew larger).
  PGMIGRATE_FROM_PASS=$SRC_PASS PGMIGRATE_TO_PASS=$DST_PASS /usr/bin/time -f %M -o "$rss" \
    "$pgm" "${args[@]}" >>"$LOG" 2>&1 || rc=$?
  # run_method counts "exit N" lines as errors; the note column keeps the exit code, the peak RSS
  # and the flags.
  [ "$rc" = 0 ] || echo "pg-migrate exit $rc" >>"$LOG"
  LIMIT_NOTE="pg-migrate exit=$rc peak_rss_mb=$(( $(tail -1 "$rss") / 1024 )) ${flags[*]}"
}

# The tool turns fsync etc. off on the target and must turn them back on; a baseline
# measured after a run that did not would be measured on a faster, unsafe server.
check_target_settings() {
  local left
  left=$(psql_dst postgres -At -c "SELECT string_agg(name || '=' || setting, ', ') FROM pg_settings
           WHERE sourcefile LIKE '%postgresql.auto.conf'")
  [ -z "$left" ] || { echo "the target still has ALTER SYSTEM settings after a pg-migrate run: $left" >&2; exit 1; }
}

# The lab's summary table (summarize.sh: medians, min/max, ratio to limit, verification) with two
# columns added: pg-migrate's peak RSS in each run (from the note column), and each median
# against the fastest verified run of any pgcopydb method on the same data (below 1: faster).
summary_table() {
  "$LAB_DIR/summarize.sh" >/dev/null
  local md="$RES/summary.md"
  awk -F'\t' '
    FNR == NR {
      if (FNR > 1 && match($14, /peak_rss_mb=[0-9]+/)) {
        mb = substr($14, RSTART + 12, RLENGTH - 12)
        rss[$2] = rss[$2] (rss[$2] == "" ? "" : " / ") mb
        if (mb + 0 >= 512) over = over " " $2 "-run" $3 "=" mb "MB"
      }
      if (FNR > 1 && $2 ~ /^pgcopydb/ && $5 == "PASS" && (best == "" || $4 + 0 < best)) best = $4 + 0
      next
    }
    /^\| method \|/ { print $0 " pg-migrate peak RSS MB (each run) | x best pgcopydb run |"; next }
    /^\|---/ { print $0 "---|---|"; next }
    /^\| / {
      split($0, f, / \| /); m = substr(f[1], 3)
      print $0 " " (m in rss ? rss[m] : "-") " | " (best > 0 ? sprintf("%.2f", f[3] / best) : "-") " |"; next
    }
    { print }
    END { if (over != "") print "\npg-migrate runs at or above its 512 MB target:" over }' "$TSV" "$md" >"$md.new"
  mv "$md.new" "$md"
  cat "$md"
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
summary_table
echo
echo "raw results: $TSV; logs: $LOGS/"
