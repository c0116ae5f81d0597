# faults-lib.sh - helpers for the fault-injection tests t0130-faults-*.sh.
# Not a test itself (tests/run.sh runs only t[0-9]*.sh).
# Source it BEFORE lib.sh: when the test runs as root and unshare(1)
# works, it re-runs the test in a private mount namespace, so every tmpfs
# the test mounts disappears with it, even when the test is killed.
#
# Every fault must end with a clear error (exit status, a message naming
# the file and the cause), the database unchanged (db_sum) or intact
# (integrity_check), no gap or duplicate in a number series, no partial or
# temporary file, and a rerun completing the work once the fault is gone.
#
# Helpers: fault_probe, fault_mount, fault_immutable, fault_cleanup,
# no_tmp_files, db_ok, series_ok, db_checkpoint, fault_db, paid_orders,
# must_fail_cleanly, pdfs_ok, pdf_ok, skip.
#
# Tests of a behaviour found broken are titled 'BUG: ...' (grep -n BUG:
# tests/cli/t0130-*.sh); they fail until the library is fixed.

if [ -z "${FAULTS_NS:-}" ] && [ "$(id -u)" = 0 ] &&
    unshare -m --propagation private true 2>/dev/null; then
	FAULTS_NS=1
	export FAULTS_NS
	exec unshare -m --propagation private sh "$0" "$@"
fi

# A previous run killed half-way may have left an immutable directory or
# (outside a namespace) a mount in the scratch directory that lib.sh is
# about to remove.
_fs=$(cd "$(dirname "$0")/../.." && pwd)/build/test-scratch/$(basename "$0" .sh)
if [ -d "$_fs" ]; then
	grep -o " $_fs/[^ ]*" /proc/mounts 2>/dev/null | sort -r |
	    while read -r m; do umount "$m" 2>/dev/null; done
	chattr -R -i "$_fs" 2>/dev/null
fi
unset _fs

# fault_probe: find out what this machine allows.  Sets can_mount (1 if
# root can mount a tmpfs here), can_chattr (1 if `chattr +i` on a
# directory stops root from creating files in it) and the reasons why not
# (no_mount, no_chattr).  FAULTS_NO_MOUNT=1 and FAULTS_NO_CHATTR=1 force
# the fallbacks (to test the SKIP paths).
fault_probe() {
	can_mount=0
	can_chattr=0
	no_mount="mount -t tmpfs is not permitted here (not root, or no CAP_SYS_ADMIN)"
	no_chattr="chattr +i is not available or not honoured on this file system"
	mkdir -p probe.m probe.i
	if [ "$(id -u)" = 0 ] &&
	    mount -t tmpfs -o size=64k tmpfs probe.m 2>/dev/null; then
		umount probe.m && can_mount=1
	fi
	if chattr +i probe.i 2>/dev/null; then
		if ! touch probe.i/x 2>/dev/null; then
			can_chattr=1
		fi
		chattr -i probe.i
	fi
	rm -rf probe.m probe.i
	if [ -n "${FAULTS_NO_MOUNT:-}" ]; then
		can_mount=0
		no_mount="FAULTS_NO_MOUNT is set"
	fi
	if [ -n "${FAULTS_NO_CHATTR:-}" ]; then
		can_chattr=0
		no_chattr="FAULTS_NO_CHATTR is set"
	fi
}

# fault_mount DIR SIZE [ro]: a tmpfs of SIZE (e.g. 16k) on DIR, recorded
# for fault_cleanup.
fault_mount() {
	mkdir -p "$1" &&
	mount -t tmpfs -o "size=$2${3:+,$3}" tmpfs "$1" &&
	echo "$scratch/$1" >>"$scratch/.fault-mounts"
}

# fault_immutable PATH: chattr +i, recorded for fault_cleanup.
fault_immutable() {
	chattr +i "$1" && echo "$scratch/$1" >>"$scratch/.fault-immutable"
}

# fault_cleanup: undo every mount and chattr +i of the test (EXIT trap).
fault_cleanup() {
	if [ -f "$scratch/.fault-immutable" ]; then
		while read -r p; do chattr -i "$p" 2>/dev/null; done \
		    <"$scratch/.fault-immutable"
	fi
	if [ -f "$scratch/.fault-mounts" ]; then
		sort -r "$scratch/.fault-mounts" | while read -r m; do
			umount "$m" 2>/dev/null
		done
	fi
	rm -f "$scratch/.fault-mounts" "$scratch/.fault-immutable"
}

# no_tmp_files DIR...: no temporary file (*.tmp.*) in the directories.
no_tmp_files() {
	_t=$(find "$@" -name '*.tmp.*' 2>/dev/null)
	if [ -n "$_t" ]; then
		echo "no_tmp_files: temporary files left:" >&2
		echo "$_t" | sed 's/^/|   /' >&2
		return 1
	fi
}

# db_ok DB: PRAGMA integrity_check says ok.
db_ok() {
	_r=$(sqlite3 "$1" "PRAGMA integrity_check" 2>&1)
	[ "$_r" = ok ] || { echo "db_ok: $1: $_r" >&2; return 1; }
}

# series_ok DB SERIES N: the documents of SERIES are numbered exactly
# 1..N (no gap, no duplicate) and the series' last_seq is N.
series_ok() {
	sqlite3 "$1" "SELECT seq FROM document WHERE series = '$2' ORDER BY seq" \
	    >series.got &&
	if [ "$3" -gt 0 ]; then seq 1 "$3"; fi >series.want &&
	test_cmp series.want series.got &&
	_l=$(sqlite3 "$1" "SELECT coalesce(max(last_seq), 0) FROM number_series
	    WHERE series = '$2'") &&
	{ [ "$_l" = "$3" ] || { echo "series_ok: $2 last_seq $_l, want $3" >&2;
	    return 1; }; }
}

# db_checkpoint DB: move the WAL into the database file (db_sum needs it).
db_checkpoint() {
	sqlite3 "$1" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
}

# fault_db DB: a new database with the sample sellers, checkpointed.
fault_db() {
	"$INVGEN" --db "$1" init >/dev/null && add_sellers "$1" >/dev/null &&
	db_checkpoint "$1"
}

# paid_orders PREFIX N [COUNTRY]: a JSON array of N paid consumer orders
# PREFIX-1..PREFIX-N, on stdout.
paid_orders() {
	echo "["
	for _i in $(seq 1 "$2"); do
		[ "$_i" = 1 ] || echo ","
		consumer_order "$1-$_i" "${3:-LT}" EUR 2025-11-20T10:00:00Z
	done
	echo "]"
}

# must_fail_cleanly STATUS PATTERN cmd...: the command exits STATUS (a
# number, or "any" for any failure) without a crash or a sanitizer
# report, and its stderr (kept in err) matches PATTERN (grep -E).  The
# status is kept in last.status.
must_fail_cleanly() {
	_want=$1
	_pat=$2
	shift 2
	got=
	if [ "$_want" = any ]; then
		test_must_fail "$@" 2>err
	else
		test_must_fail "$_want" "$@" 2>err
	fi
	_r=$?
	echo "$got" >last.status	# test_must_fail (lib.sh) sets got
	[ $_r = 0 ] || { cat err >&2; return 1; }
	if grep -q "ERROR: AddressSanitizer\|runtime error:" err; then
		cat err >&2
		return 1
	fi
	if ! grep -Eq -- "$_pat" err; then
		echo "must_fail_cleanly: /$_pat/ not in the message:" >&2
		sed 's/^/|   /' err >&2
		return 1
	fi
}

# pdfs_ok DB DIR: every document of DB has DIR/NUMBER.pdf exactly once,
# with its recorded SHA-256, and DIR has no other PDF.
pdfs_ok() {
	sqlite3 -separator ' ' "$1" "SELECT f.sha256, d.number || '.pdf'
	    FROM document d JOIN document_file f ON f.document_id = d.id
	    WHERE f.format = 'pdf' ORDER BY 2" >pdfs.want &&
	(cd "$2" && for f in *.pdf; do
		[ -f "$f" ] || continue
		sha256sum "$f"
	done) | sed 's/  / /' | sort -k2 >pdfs.got &&
	test_cmp pdfs.want pdfs.got
}

# pdf_ok DB DIR NUMBER...: DIR/NUMBER.pdf has the recorded SHA-256.
pdf_ok() {
	_db=$1
	_dir=$2
	shift 2
	for _n in "$@"; do
		_w=$(sqlite3 "$_db" "SELECT f.sha256 FROM document_file f
		    JOIN document d ON d.id = f.document_id
		    WHERE f.format = 'pdf' AND d.number = '$_n'")
		_g=$(sha256sum <"$_dir/$_n.pdf" | cut -d' ' -f1) || return 1
		if [ -z "$_w" ] || [ "$_g" != "$_w" ]; then
			echo "pdf_ok: $_dir/$_n.pdf has $_g, recorded '$_w'" >&2
			return 1
		fi
	done
}
