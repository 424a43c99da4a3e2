# Sourced by the bench scripts: finds the shared benchmark lab and loads its settings (lib.sh).
# The lab lives next to the project (../shared/bench from the repository root); LAB_DIR overrides
# that, for a checkout elsewhere (a git worktree, say). After this: REPO, LAB_DIR, and everything
# lib.sh defines (BENCH_DIR, ports, PATH with the client tools, psql_src/psql_dst, list_dbs, log).
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAB_DIR=${LAB_DIR:-$REPO/../shared/bench}
[ -f "$LAB_DIR/lib.sh" ] && [ -f "$LAB_DIR/baselines.sh" ] ||
  { echo "benchmark lab not found in $LAB_DIR: set LAB_DIR to the folder holding servers.sh and baselines.sh" >&2; exit 2; }
LAB_DIR=$(cd "$LAB_DIR" && pwd)
# shellcheck source=/dev/null
source "$LAB_DIR/lib.sh"
# The lab's scripts run as child processes (servers.sh, verify.sh, summarize.sh) and read these
# again from the environment: a lab copy on other ports or in another folder must reach them all.
export LAB_DIR BENCH_DIR SRC_PORT DST_PORT SRC_VERSION DST_VERSION SRC_PASS DST_PASS JOBS PG15_BIN
