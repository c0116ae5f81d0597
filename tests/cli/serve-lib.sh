# serve-lib.sh - helpers for the tests of `invgen serve` (t0150-serve.sh,
# t0151-serve-trust.sh).  Not a test itself.  Source it after lib.sh.
#
# Helpers: wait_for, start_server, stop_server, served, ms_since.

# wait_for TEST [SECONDS]: up to SECONDS (default 20) for the shell test
# TEST to hold.
wait_for() {
	for _ in $(seq 1 $((${2:-20} * 10))); do
		eval "$1" && return 0
		sleep 0.1
	done
	echo "wait_for: '$1' never held" >&2
	return 1
}
# start_server DIR [PROGRAM]: a server in DIR on DIR/t.db with output
# folder out; its log goes to DIR/serve.log, its pid to DIR/serve.pid, its
# exit status, once it has stopped, to DIR/serve.status.
start_server() {
	rm -f "$1/serve.status"
	up=$(cat "$1/serve.log" 2>/dev/null | grep -c "workers")
	(
		cd "$1" &&
		"${2:-$INVGEN}" --db t.db --out-dir out serve --workers 2 \
		    2>>serve.log &
		echo $! >"$1/serve.pid"
		wait $!
		echo $? >"$1/serve.status"
	) &
	# up once it says so (a killed one's socket may still be there)
	wait_for "test \$(grep -c workers $1/serve.log) -gt $up"
}
# stop_server DIR SIGNAL: the exit status of the server.
stop_server() {
	kill -"$2" "$(cat "$1/serve.pid")" &&
	wait_for "test -s $1/serve.status" && cat "$1/serve.status"
}
# served DIR PATTERN: how many lines of DIR's server log match.
served() { grep -c "$2" "$1/serve.log"; }
# ms_since T0: milliseconds since T0 (from date +%s%N).
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
