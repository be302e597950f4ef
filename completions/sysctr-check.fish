# SPDX-License-Identifier: MIT
# fish completion for sysctr-check. tests/test-docs.c checks that every verb
# and long option of the binary is here.

# The command being completed (the binary the user typed, or the one in PATH).
function __sysctr_check_cmd
    set -l cmd (commandline -opc)[1]
    if test -z "$cmd"
        set cmd sysctr-check
    end
    echo $cmd
end

# The verb already on the command line, skipping options and their values.
function __sysctr_check_verb
    set -l words (commandline -opc)
    set -e words[1]
    set -l skip 0
    for w in $words
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $w
            case -r --root -i --ignore --only -o --output --output-file --record -t --timeout --state-root --config --image --bundle --apply-to
                set skip 1
            case '-*'
            case '*'
                echo $w
                return 0
        end
    end
    return 1
end

function __sysctr_check_needs_verb
    not __sysctr_check_verb >/dev/null
end

# True when the word being completed is a verb's TARGET: right after
# report, container, limits or boot, with no --bundle.
function __sysctr_check_needs_target
    set -l words (commandline -opc)
    set -e words[1]
    contains -- --bundle $words; and return 1
    contains -- --all $words; and return 1
    set -l skip 0
    set -l seen 0
    for w in $words
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $w
            case -r --root -i --ignore --only -o --output --output-file --record -t --timeout --state-root --config --image
                set skip 1
            case '-*'
            case '*'
                set seen (math $seen + 1)
                if test $seen -eq 1
                    contains -- $w report container limits boot; or return 1
                end
        end
    end
    test $seen -eq 1
end

# Running containers from `sysctr-check list`: PIDs and RUNTIME:NAME
# (with jq: from --json; without: from the text), plus runtime prefixes.
function __sysctr_check_targets
    set -l cmd (__sysctr_check_cmd)
    if command -q jq
        $cmd --json list 2>/dev/null | jq -r '.containers[]? | select(.running) |
            (.target.pid | tostring),
            (if .target.runtime != "pid" then .target.runtime + ":" + (.target.name // .target.id) else empty end)' 2>/dev/null
    else
        $cmd --no-color --ascii list 2>/dev/null | awk '
            /^  PID +RUNTIME/ { t = 1; next }
            t && NF == 0 { exit }
            t && $1 ~ /^[0-9]+$/ { print $1; if ($2 != "pid") print $2 ":" $3 }'
    end
    printf '%s:\n' (__sysctr_check_runtimes)
end

# Runtime names and aliases, from the binary's runtime table.
function __sysctr_check_runtimes
    set -l cmd (__sysctr_check_cmd)
    $cmd runtimes 2>/dev/null | awk 'NR > 1 && /^[^ ]/ { print $1 } NR > 1 && /^[^ ]/ && NF == 4 { sub(/:$/, "", $4); print $4 }'
end

# Check ids (and their titles) for --ignore.
function __sysctr_check_ids
    set -l cmd (__sysctr_check_cmd)
    $cmd checks 2>/dev/null | awk '/^[^ ]/ { id = $1; $1 = ""; $2 = ""; sub(/^ +/, ""); print id "\t" $0 }'
end

function __sysctr_check_state_roots
    set -l tok (commandline -ct)
    if string match -q -- '*=*' $tok
        set -l rt (string split -m1 = -- $tok)[1]
        set -l dir (string split -m1 = -- $tok)[2]
        for d in (__fish_complete_directories $dir)
            echo $rt=$d
        end
    else
        printf '%s=\n' (__sysctr_check_runtimes)
    end
end

complete -c sysctr-check -f

# Verbs.
complete -c sysctr-check -n __sysctr_check_needs_verb -a host -d 'cgroup mode, mounts, controllers and host checks'
complete -c sysctr-check -n __sysctr_check_needs_verb -a report -d 'the host, and a container when given: everything'
complete -c sysctr-check -n __sysctr_check_needs_verb -a list -d 'every container on this host'
complete -c sysctr-check -n __sysctr_check_needs_verb -a container -d 'a container from outside and inside, and its delegation'
complete -c sysctr-check -n __sysctr_check_needs_verb -a limits -d 'effective limits vs what free/lscpu/nproc/top show inside'
complete -c sysctr-check -n __sysctr_check_needs_verb -a boot -d 'predict whether systemd boots as PID 1'
complete -c sysctr-check -n __sysctr_check_needs_verb -a checks -d 'list every check id with what it checks'
complete -c sysctr-check -n __sysctr_check_needs_verb -a runtimes -d 'list the container runtimes and their state'
complete -c sysctr-check -n __sysctr_check_needs_verb -a help -d 'this help, or a command'"'"'s own'

# Targets.
complete -c sysctr-check -n __sysctr_check_needs_target -a '(__sysctr_check_targets)' -d container

# Options.
complete -c sysctr-check -s j -l json -d 'JSON output'
complete -c sysctr-check -s r -l root -r -F -d 'probe a fixture tree or a --record snapshot instead of /'
complete -c sysctr-check -s s -l strict -d 'warnings fail too (exit 1)'
complete -c sysctr-check -s i -l ignore -x -a '(__sysctr_check_ids)' -d 'do not count check ID (glob; repeatable)'
complete -c sysctr-check -s o -l output -x -a 'text json junit prometheus' -d 'output format'
complete -c sysctr-check -l output-file -r -F -d 'write to FILE atomically'
complete -c sysctr-check -l image -x -a '(__fish_complete_directories)' -d 'host: judge an unpacked host image'
complete -c sysctr-check -s q -l quiet -d 'only checks that did not pass, and the summary'
complete -c sysctr-check -l only -x -a '(__sysctr_check_ids)' -d 'report only these checks'
complete -c sysctr-check -l config -r -F -d 'site defaults'
complete -c sysctr-check -l record -r -F -d 'also save everything read as a snapshot (JSON)'
complete -c sysctr-check -s t -l timeout -x -d 'deadline for reads inside a container (seconds)'
complete -c sysctr-check -l state-root -x -a '(__sysctr_check_state_roots)' -d 'RUNTIME=DIR: where a runtime keeps its state'
complete -c sysctr-check -s v -l verbose -d 'show evidence for passing checks too'
complete -c sysctr-check -l no-color -d 'no colours'
# --color[=WHEN]: the value goes after '=' (--color=never).
complete -c sysctr-check -l color -x -a 'auto always never' -d 'colours: auto (default), always, never'
complete -c sysctr-check -l ascii -d 'ASCII status tags instead of symbols'
complete -c sysctr-check -l bundle -x -a '(__fish_complete_directories)' -d 'boot: predict for an OCI bundle directory'
complete -c sysctr-check -l fix -d 'boot: the smallest changes that make systemd boot'
complete -c sysctr-check -l apply-to -r -F -d 'boot --fix --bundle: write the patched config.json'
complete -c sysctr-check -l all -d 'report, boot: every running container'
complete -c sysctr-check -s h -l help -d 'show help'
complete -c sysctr-check -s V -l version -d 'show the version'
