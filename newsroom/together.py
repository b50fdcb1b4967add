"""Run the site's processes together: `python -m newsroom.together -- CMD … -- CMD …`.

`make run` and `make serve` start the web server with the task worker beside it (and, for
`make run`, the mail catcher). They start together and stop together: when one of them ends, or
this process is asked to stop (SIGINT, SIGTERM), the others are sent SIGTERM and given time to
finish what they are doing, as a service manager would. Each runs in a process group of its own
so that Ctrl-C reaches it once, through here; on Linux each is also stopped should this process
be killed outright, so none is left behind.
"""

import ctypes
import os
import signal
import subprocess  # nosec B404 # the commands given on our own command line, never a shell
import sys

GRACE_SECONDS = 15
PR_SET_PDEATHSIG = 1


def stop_with_parent():
    """In the child, before it runs its command: be sent SIGTERM when the parent dies."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def split_commands(arguments):
    """["--", "a", "b", "--", "c"] → [["a", "b"], ["c"]]."""
    commands, current = [], None
    for argument in arguments:
        if argument == "--":
            current = []
            commands.append(current)
        elif current is None:
            raise ValueError("each command starts with --")
        else:
            current.append(argument)
    if not commands or not all(commands):
        raise ValueError("give at least one command, each after --")
    return commands


def run_together(commands):
    """Start every command, wait for the first to end, stop the rest; return an exit status."""
    asked_to_stop = []
    processes = {}

    def forward(signum, frame):
        asked_to_stop.append(signum)
        for process in processes.values():
            if process.returncode is None:
                process.send_signal(signum)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    for command in commands:
        process = subprocess.Popen(  # nosec B603 # our own command line
            command, process_group=0, preexec_fn=stop_with_parent  # noqa: PLW1509
        )
        processes[process.pid] = process

    pid, status = os.wait()
    first = processes[pid]
    first.returncode = os.waitstatus_to_exitcode(status)
    others = [process for process in processes.values() if process is not first]
    if not asked_to_stop:
        print(f"{' '.join(first.args)} ended ({first.returncode}); stopping the others.",
              file=sys.stderr, flush=True)
    for process in others:
        if process.poll() is None:
            process.terminate()
    for process in others:
        try:
            process.wait(timeout=GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if asked_to_stop:
        return 0
    return first.returncode or (1 if others else 0)


def main(arguments=None):
    try:
        commands = split_commands(sys.argv[1:] if arguments is None else arguments)
    except ValueError as error:
        sys.exit(f"usage: python -m newsroom.together -- COMMAND … [-- COMMAND …]: {error}")
    sys.exit(run_together(commands))


if __name__ == "__main__":
    main()
