# shellcheck shell=sh
# probe-limits.sh: runs INSIDE a container (sh -s, the tools root: busybox
# plus the host's lscpu, free, top, uptime, nproc in /usr/bin).  Prints
# what those tools show, one "KEY VALUE" a line.  The Debian tools when the
# root has them, else busybox's (noted in "tools").
P=/usr/bin
if [ -x $P/lscpu ]; then echo "tools debian"; else echo "tools busybox"; P=/bin; fi
[ -x $P/free ] && $P/free -b | awk '/^Mem:/ { print "free", $2 } /^Swap:/ { print "swap", $2 }'
echo "nproc $($P/nproc 2>&1)"
if [ -x $P/lscpu ]; then
    $P/lscpu | sed -n 's/^CPU(s): *\(.*\)/lscpu \1/p; s/^On-line CPU(s) list: *\(.*\)/lscpu-online \1/p'
else echo "lscpu -"; echo "lscpu-online -"; fi
echo "cpuinfo $(grep -c '^processor' /proc/cpuinfo)"
# procps top: -1 shows one %CpuN row per CPU it reads in /proc/stat
if [ -x /usr/bin/top ]; then
    echo "top $(/usr/bin/top -b -n1 -1 -w 512 2>&1 | grep -o '%Cpu[0-9]*' | wc -l)"
    /usr/bin/top -b -n1 -w 512 2>&1 | sed -n 's/^MiB Mem : *\([0-9.]*\) total.*/top-mem-mib \1/p'
else echo "top $(grep -c '^cpu[0-9]' /proc/stat)"; fi
echo "uptime $(cut -d' ' -f1 /proc/uptime)"
echo "uptime-says $($P/uptime 2>&1 | sed 's/^ *//; s/,  *load.*//' | tr ' ' _)"
