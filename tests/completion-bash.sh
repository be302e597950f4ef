#!/bin/bash
# SPDX-License-Identifier: MIT
# Drives completions/sysctr-check.bash the way readline does: the line is
# split at COMP_WORDBREAKS into COMP_WORDS ("report runc:ab" is the words
# report, runc, :, ab), the function is called, and COMPREPLY is what
# readline puts in place of the text after the last word-break character.
# Each case checks COMPREPLY and the line that results.
#
# A shim sysctr-check on PATH answers list (text and --json), runtimes and
# checks with known values. Run twice: with jq, and without it (PATH holds
# only the shim and awk), which takes the text path of the targets.
#
# Usage: tests/completion-bash.sh SRCDIR. Exit 0 all passed, 1 a case
# failed, 77 bash-completion is not installed (the reason is printed).
set -u

src=${1:-.}
bc=/usr/share/bash-completion/bash_completion
if [[ ! -r $bc ]]; then
	echo "skip: completion-bash: $bc missing (apt-get install bash-completion)"
	exit 77
fi
# bash_completion wants an interactive-looking shell; it only defines.
# shellcheck disable=SC1090
source "$bc" 2>/dev/null
# shellcheck disable=SC1091
source "$src/completions/sysctr-check.bash"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/nojq"
cat >"$tmp/bin/sysctr-check" <<'EOF'
#!/bin/bash
# A stand-in for the binary: what list, runtimes and checks print.
args=" $* "
case $args in
*" --json "*list*)
	printf '%s\n' '{"containers": [' \
		'{"running": true, "target": {"runtime": "runc", "id": "web", "name": null, "pid": 4242}},' \
		'{"running": true, "target": {"runtime": "docker", "id": "0123abcd", "name": "db", "pid": 5151}},' \
		'{"running": false, "target": {"runtime": "runc", "id": "gone", "name": null, "pid": 0}},' \
		'{"running": true, "target": {"runtime": "pid", "id": "777", "name": null, "pid": 777}}]}' ;;
*" list "*)
	printf '%s\n' 'sysctr-check 0.1.0 — list — / (live)' '' '  host cgroup mode unified' '' \
		'Containers' \
		'  PID   RUNTIME  NAME / ID  CGROUP  PRIVATE NS  PID 1 COMMAND' \
		'  4242  runc     web        /web    pid,mnt     sleep 1' \
		'  5151  docker   db         /db     pid,mnt     postgres' \
		'  777   pid      777        /x      pid         init' \
		'' '3 containers' ;;
*" runtimes "*)
	printf '%s\n' 'RUNTIME     TARGET           STATE ROOT                   ALSO' \
		'runc        runc:ID          /run/runc                    ' \
		'docker      docker:NAME|ID   /var/lib/docker/containers   ' \
		'nspawn      nspawn:NAME      /run/systemd/machines        machinectl:' ;;
*" checks "*)
	printf '%s\n' 'cgroup.mode                      host   the cgroup mode' \
		'cgroup.writable                  host   the cgroup hierarchies are writable' \
		'boot.verdict                     boot   systemd as PID 1' ;;
*) exit 2 ;;
esac
EOF
chmod +x "$tmp/bin/sysctr-check"
ln -s "$tmp/bin/sysctr-check" "$tmp/nojq/sysctr-check"
ln -s "$(type -P awk)" "$tmp/nojq/awk"
ln -s "$(type -P sort)" "$tmp/nojq/sort" # the test's, not the completion's

fails=0 cases=0

# Splits $1 as readline does for programmable completion: blanks separate
# words; a run of other COMP_WORDBREAKS characters is a word of its own.
split_line()
{
	local line=$1 wb=$COMP_WORDBREAKS c w="" kind="" i
	COMP_WORDS=()
	for ((i = 0; i < ${#line}; i++)); do
		c=${line:i:1}
		if [[ $c == [[:blank:]] ]]; then
			[[ -n $w ]] && COMP_WORDS+=("$w")
			w="" kind=""
		elif [[ $wb == *"$c"* ]]; then
			[[ -n $w && $kind != brk ]] && { COMP_WORDS+=("$w"); w=""; }
			w+=$c kind=brk
		else
			[[ -n $w && $kind == brk ]] && { COMP_WORDS+=("$w"); w=""; }
			w+=$c kind=word
		fi
	done
	if [[ -n $w ]]; then
		COMP_WORDS+=("$w")
	else
		COMP_WORDS+=("")
	fi
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
}

# The text readline replaces: the end of the line after its last
# COMP_WORDBREAKS character (the test's own, not the completion's).
readline_word()
{
	local line=$1 i
	for ((i = ${#line}; i > 0; i--)); do
		[[ $COMP_WORDBREAKS == *"${line:i-1:1}"* ]] && break
	done
	printf '%s' "${line:i}"
}

# complete LINE: COMPREPLY (sorted, one per line) in $got, and in $result
# the line readline makes of a single candidate.
complete_line()
{
	local line=$1 rl
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMP_TYPE=9
	COMP_KEY=9
	split_line "$line"
	COMPREPLY=()
	_sysctr_check sysctr-check "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]-}"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort)
	# Readline's own word: after the last break character of the line.
	rl=$(readline_word "$line")
	result=""
	((${#COMPREPLY[@]} == 1)) && result=${line:0:${#line}-${#rl}}${COMPREPLY[0]}
}

# expect LINE CANDIDATE...: COMPREPLY holds exactly these.
expect()
{
	local line=$1 want
	shift
	want=$(printf '%s\n' "$@" | LC_ALL=C sort)
	complete_line "$line"
	cases=$((cases + 1))
	if [[ $got != "$want" ]]; then
		echo "FAIL: completion-bash ($mode): '$line<TAB>'"
		echo "  want: $(echo $want)"
		echo "  got:  $(echo $got)"
		fails=$((fails + 1))
	fi
}

# expect_line LINE RESULT: a single candidate, and the line it makes.
expect_line()
{
	complete_line "$1"
	cases=$((cases + 1))
	if [[ $result != "$2" ]]; then
		echo "FAIL: completion-bash ($mode): '$1<TAB>' gives '$result', want '$2'" \
			"(COMPREPLY: $(echo $got))"
		fails=$((fails + 1))
	fi
}

run_cases()
{
	expect "sysctr-check " host report list container limits boot checks runtimes help
	expect "sysctr-check r" report runtimes
	expect "sysctr-check help b" boot
	expect "sysctr-check --json c" container checks
	# Targets, with the runtime prefixes; running containers only.
	expect "sysctr-check report " 4242 runc:web 5151 docker:db 777 runc: docker: nspawn: machinectl:
	expect "sysctr-check report runc:" web
	expect_line "sysctr-check report runc:" "sysctr-check report runc:web"
	expect_line "sysctr-check report runc:w" "sysctr-check report runc:web"
	expect_line "sysctr-check boot docker:" "sysctr-check boot docker:db"
	expect "sysctr-check -j limits dock" docker: docker:db
	expect_line "sysctr-check report ns" "sysctr-check report nspawn:"
	expect "sysctr-check report runc:web " ""
	expect "sysctr-check boot --bundle /nonexistent/ " ""
	# Check ids, comma lists, and "all" for --ignore only.
	expect "sysctr-check --ignore=" cgroup.mode cgroup.writable boot.verdict cgroup.\* boot.\* all
	expect_line "sysctr-check --ignore=cgroup.m" "sysctr-check --ignore=cgroup.mode"
	expect "sysctr-check --ignore=a," a,cgroup.mode a,cgroup.writable a,boot.verdict \
		a,cgroup.\* a,boot.\* a,all
	expect_line "sysctr-check --ignore=a,boot.v" "sysctr-check --ignore=a,boot.verdict"
	expect_line "sysctr-check host -i cgroup.mode,cgroup.w" \
		"sysctr-check host -i cgroup.mode,cgroup.writable"
	expect "sysctr-check --only b" boot.verdict boot.\*
	# Output formats and colours.
	expect "sysctr-check -o " text json junit prometheus
	expect "sysctr-check --output " text json junit prometheus
	expect "sysctr-check --output=" text json junit prometheus
	expect_line "sysctr-check --output=ju" "sysctr-check --output=junit"
	expect_line "sysctr-check host -o p" "sysctr-check host -o prometheus"
	expect "sysctr-check --color=" auto always never
	expect_line "sysctr-check --color=ne" "sysctr-check --color=never"
	# --color's value is optional: after a blank comes a verb.
	expect "sysctr-check --color h" host help
	# Options, and --state-root's RUNTIME=.
	expect "sysctr-check --out" --output --output-file
	expect "sysctr-check --state-root " runc= docker= nspawn= machinectl=
	expect_line "sysctr-check --state-root=do" "sysctr-check --state-root=docker="
	# The verb is found past option values.
	expect "sysctr-check -o json --root /x report runc:" web
}

mode=jq
if command -v jq >/dev/null 2>&1; then
	PATH=$tmp/bin:$PATH run_cases
else
	echo "info: completion-bash: jq is not installed: only the text path is driven"
fi
mode=no-jq
# The function's own PATH look-ups see only the shim and awk.
saved=$PATH
PATH=$tmp/nojq
hash -r
run_cases
PATH=$saved

if ((fails)); then
	echo "completion-bash: $fails of $cases cases failed"
	exit 1
fi
echo "info: completion-bash: $cases cases passed"
exit 0
