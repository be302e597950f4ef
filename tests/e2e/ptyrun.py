#!/usr/bin/env python3
"""Run a command on a fresh pseudo-terminal; copy all it prints to a log.

    ptyrun.py [--stderr FILE] [--status FILE] LOG -- CMD [ARGS...]

Why: we boot systemd with `process.terminal: true` so that the container
has a real /dev/console (systemd as PID 1 in a container writes its status
and error messages there; without one they go to /dev/null).  A foreground
`runc run` with a terminal needs a controlling terminal of its own
(/dev/tty), copies the container's console to its stdout, and exits with
the container's exit status.  This wrapper gives it that terminal, records
everything to LOG, and exits with runc's status (also written to --status).
The window size is set up front (200x50) so that systemd >= 257 does not
query the terminal size with escape sequences nobody answers.
"""
import errno
import fcntl
import os
import signal
import struct
import sys
import termios


def main(argv):
    stderr_path = status_path = None
    while argv and argv[0].startswith("--") and argv[0] != "--":
        opt = argv.pop(0)
        if opt == "--stderr":
            stderr_path = argv.pop(0)
        elif opt == "--status":
            status_path = argv.pop(0)
        else:
            sys.exit(f"ptyrun: unknown option {opt}")
    if len(argv) < 3 or argv[1] != "--":
        sys.exit(__doc__)
    log_path, cmd = argv[0], argv[2:]

    master, slave = os.openpty()
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        os.dup2(slave, 0)
        os.dup2(slave, 1)
        if stderr_path:
            err = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            os.dup2(err, 2)
            os.close(err)
        else:
            os.dup2(slave, 2)
        if slave > 2:
            os.close(slave)
        try:
            os.execvp(cmd[0], cmd)
        except OSError as e:
            os.write(2, f"ptyrun: exec {cmd[0]}: {e}\n".encode())
            os._exit(127)
    os.close(slave)

    # Forward termination requests to the child (runc forwards them on).
    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, forward)

    with open(log_path, "ab", buffering=0) as log:
        while True:
            try:
                data = os.read(master, 65536)
            except InterruptedError:
                continue
            except OSError as e:
                if e.errno == errno.EIO:  # every slave fd closed: runc is gone
                    break
                raise
            if not data:
                break
            log.write(data)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    code = os.waitstatus_to_exitcode(status)
    code = 128 - code if code < 0 else code
    if status_path:
        with open(status_path, "w") as f:
            f.write(f"{code}\n")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
