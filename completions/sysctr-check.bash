# SPDX-License-Identifier: MIT
# bash completion for sysctr-check. Works with or without the
# bash-completion package (bash 4, awk; jq when installed).
# tests/test-docs.c checks that every verb and long option of the binary is
# in the verbs= and opts= lists below.

# Container targets: PIDs and RUNTIME:NAME of the running containers that
# `sysctr-check list` finds (with jq: from --json; without: from the text).
_sysctr_check_targets()
{
	local cmd=$1
	if command -v jq >/dev/null 2>&1; then
		"$cmd" --json list 2>/dev/null | jq -r '.containers[]? | select(.running) |
			(.target.pid | tostring),
			(if .target.runtime != "pid"
			 then .target.runtime + ":" + (.target.name // .target.id)
			 else empty end)' 2>/dev/null
	else
		"$cmd" --no-color --ascii list 2>/dev/null | awk '
			/^  PID +RUNTIME/ { t = 1; next }
			t && NF == 0 { exit }
			t && $1 ~ /^[0-9]+$/ { print $1; if ($2 != "pid") print $2 ":" $3 }'
	fi
}

# Runtime names and aliases (TARGET prefixes, --state-root keys), from
# `sysctr-check runtimes`: the runtime table of the binary.
_sysctr_check_runtimes()
{
	"$1" runtimes 2>/dev/null | awk 'NR > 1 && /^[^ ]/ { print $1 } NR > 1 && /^[^ ]/ && NF == 4 { sub(/:$/, "", $4); print $4 }'
}

# Check ids for --ignore, and a SECTION.* glob for each prefix.
_sysctr_check_ids()
{
	"$1" checks 2>/dev/null | awk '
		/^[^ ]/ { print $1; p = $1; sub(/\.[^.]*$/, "", p); if (!(p in s)) { s[p] = 1; print p ".*" } }'
}

# What readline replaces when it inserts a candidate: the end of the word
# after its last COMP_WORDBREAKS character (':' and '=' are in it, so for
# "runc:we" only "we", for "--ignore=" nothing).
_sysctr_check_rlword()
{
	local wb=${COMP_WORDBREAKS-$' \t\n"\'><=;|&(:'} w=$1 c i
	for ((i = 0; i < ${#wb}; i++)); do
		c=${wb:i:1}
		[[ $c == [[:space:]] ]] && continue
		w=${w##*"$c"}
	done
	printf '%s' "$w"
}

_sysctr_check()
{
	local verbs="host report list container limits boot checks runtimes help"
	local opts="--json --root --strict --ignore --output --record --timeout
		--state-root --verbose --no-color --color --ascii --bundle --all --help --version
		--output-file --image --quiet --only --config --fix --apply-to -q
		-j -r -s -i -o -t -v -h -V"
	local formats="text json junit prometheus" colors="auto always never"
	local -a runtimes words cands
	local cword cur prev lead="" verb="" nargs=0 bundle="" i w cmd

	# The words as the user typed them. Bash splits at ':' and '=' too
	# (COMP_WORDBREAKS); rebuild from the line so "runc:web" and
	# "--root=/x" are one word. Without COMP_LINE (a test), use COMP_WORDS.
	if [[ -n ${COMP_LINE-} ]]; then
		local line=${COMP_LINE:0:${COMP_POINT:-${#COMP_LINE}}}
		read -r -a words <<<"$line"
		[[ -z $line || $line == *[[:space:]] ]] && words+=("")
		cword=$((${#words[@]} - 1))
	else
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi
	cur=${words[cword]}
	prev=""
	((cword > 0)) && prev=${words[cword - 1]}
	cmd=${words[0]:-sysctr-check}
	[[ $cmd == */* || -n $(type -P "$cmd") ]] || cmd=sysctr-check
	[[ $cmd == ~* ]] && cmd=${cmd/#\~/$HOME}

	# The verb and how many arguments follow it, skipping option values.
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		case $w in
		--bundle) bundle=1; ((i++)) ;;
		--bundle=*) bundle=1 ;;
		-r | --root | -i | --ignore | --only | -o | --output | --output-file | --record | \
			-t | --timeout | --state-root | --config | --image) ((i++)) ;;
		-*) ;;
		*) if [[ -z $verb ]]; then verb=$w; else ((nargs++)); fi ;;
		esac
	done

	# --option=value: complete the value, keep the option in front.
	if [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		lead=$prev=
		cur=${cur#*=}
	elif [[ $prev == --color ]]; then
		prev="" # its value is optional: only --color=WHEN
	fi

	local files=0 dirs=0 nospace=0 pre
	case $prev in
	-r | --root | --record | --output-file | --config | --apply-to)
		files=1 ;;
	--bundle | --image)
		dirs=1 ;;
	-o | --output)
		mapfile -t cands < <(compgen -W "$formats" -- "$cur") ;;
	--color)
		mapfile -t cands < <(compgen -W "$colors" -- "$cur") ;;
	-i | --ignore | --only)
		# A comma list: complete its last element.
		pre=""
		[[ $cur == *,* ]] && pre=${cur%,*},
		w=$(_sysctr_check_ids "$cmd")
		[[ $prev == --only ]] || w+=" all"
		mapfile -t cands < <(compgen -P "$pre" -W "$w" -- "${cur##*,}") ;;
	-t | --timeout)
		mapfile -t cands < <(compgen -W "1 3 10 30" -- "$cur") ;;
	--state-root)
		mapfile -t runtimes < <(_sysctr_check_runtimes "$cmd")
		if [[ $cur == *=* ]]; then
			local rt=${cur%%=*}
			lead+=$rt=
			cur=${cur#*=}
			dirs=1
		else
			mapfile -t cands < <(compgen -W "$(printf '%s= ' "${runtimes[@]}")" -- "$cur")
			nospace=1
		fi ;;
	*)
		if [[ $cur == -* ]]; then
			mapfile -t cands < <(compgen -W "$opts" -- "$cur")
		elif [[ -z $verb || ($verb == help && $nargs -eq 0) ]]; then
			mapfile -t cands < <(compgen -W "$verbs" -- "$cur")
		elif [[ $nargs -eq 0 && -z $bundle && $verb =~ ^(report|container|limits|boot)$ ]]; then
			local prefixes=""
			mapfile -t runtimes < <(_sysctr_check_runtimes "$cmd")
			[[ $cur == *:* ]] || prefixes=$(printf '%s: ' "${runtimes[@]}")
			mapfile -t cands < <(compgen -W "$(_sysctr_check_targets "$cmd") $prefixes" -- "$cur")
			[[ ${#cands[@]} -eq 1 && ${cands[0]} == *: ]] && nospace=1
		fi ;;
	esac
	if ((files)); then
		mapfile -t cands < <(compgen -f -- "$cur")
		compopt -o filenames 2>/dev/null
	elif ((dirs)); then
		mapfile -t cands < <(compgen -d -- "$cur")
		compopt -o filenames 2>/dev/null
	fi
	((nospace)) && compopt -o nospace 2>/dev/null

	# Readline replaces only the end of the word after its last ':' or
	# '=' (and the like): drop what lies before it from each candidate,
	# or "runc:<TAB>" would become "runc::ID" and "--ignore=" "--ignore==".
	local full=$lead$cur rl strip
	rl=$(_sysctr_check_rlword "$full")
	strip=${full:0:${#full}-${#rl}}
	COMPREPLY=()
	for w in "${cands[@]}"; do
		w=$lead$w
		[[ $w == "$strip"* ]] && COMPREPLY+=("${w:${#strip}}")
	done
}

complete -F _sysctr_check sysctr-check
