# invgen.bash - bash completion of invgen, installed as
# share/bash-completion/completions/invgen (bash-completion loads it when
# invgen is first completed; or source it).  The commands and their
# options come from the program itself (`invgen help`, `invgen help
# COMMAND`), so a new command completes without a change here.  Needs
# nothing but bash.

# The usage lines of `invgen help` without "  invgen ": "order add [FILE|-]".
_invgen_usages()
{
	"$1" help 2>/dev/null | sed -n 's/^  invgen //p'
}

_invgen()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local prog=${COMP_WORDS[0]} i w words=() usages opts
	local IFS=$'\n'

	COMPREPLY=()
	case $prev in
	--db|--csv|-o|--output)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--data-dir|--out-dir|--out|--archive)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	esac
	# The words naming the command so far, without options and the
	# values of the global ones; after "help" the command it is about.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--db|--data-dir|--out-dir) ((i++)) ;;
		-*) ;;
		help) [[ ${#words[@]} -eq 0 ]] || words+=("$w") ;;
		*) words+=("$w") ;;
		esac
	done
	if [[ $cur == -* ]]; then
		# The options in the command's usage lines, and the global ones.
		opts=$({ "$prog" help "${words[@]:0:2}" 2>/dev/null |
		    sed '/^$/q' | grep -o -e '--[a-z][a-z-]*' -e '-o\b'
		    printf '%s\n' --db --data-dir --out-dir --json --help; } |
		    sort -u)
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	usages=$(_invgen_usages "$prog")
	case ${#words[@]} in
	0)	# a command or a group: the first word of each usage line
		COMPREPLY=($(compgen -W "$(printf '%s\n' "$usages" |
		    cut -d' ' -f1 | sort -u)" -- "$cur")) ;;
	1)	# a group's command, or words like ubl|cii|facturx
		COMPREPLY=($(compgen -W "$(printf '%s\n' "$usages" |
		    awk -v g="${words[0]}" '$1 == g && $2 ~ /^[a-z][a-z|-]*$/ {
			n = split($2, w, "|"); for (i = 1; i <= n; i++) print w[i] }' |
		    sort -u)" -- "$cur"))
		[[ ${#COMPREPLY[@]} -gt 0 ]] || COMPREPLY=($(compgen -f -- "$cur")) ;;
	*)	COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}

complete -F _invgen invgen
