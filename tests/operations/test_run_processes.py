"""What `make run` and `make serve` start beside the web server: the task worker and, for
development, the mail catcher; and how newsroom.together starts and stops them as one."""

import os
import signal
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

from mail_server import free_port

from newsroom.mail_catcher import messages_in

PROJECT = Path(__file__).resolve().parents[2]
SLEEP = [sys.executable, "-c", "import time; time.sleep(120)"]


def together(*commands, **options):
    arguments = [sys.executable, "-m", "newsroom.together"]
    for command in commands:
        arguments += ["--", *command]
    return subprocess.Popen(arguments, cwd=PROJECT, **options)


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that has ended but not been reaped yet is a zombie: gone, for our purposes.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "zombie" in status.read_text())


def test_when_one_process_ends_the_others_are_stopped_and_its_status_is_returned(tmp_path):
    started = time.monotonic()
    process = together(SLEEP, [sys.executable, "-c", "import sys; sys.exit(3)"])

    assert process.wait(timeout=30) == 3
    assert time.monotonic() - started < 20


def test_asked_to_stop_it_stops_every_process_gracefully(tmp_path):
    marker = tmp_path / "stopped"
    graceful = [sys.executable, "-c", (
        "import signal, sys, time, pathlib\n"
        "def stop(*_):\n"
        f"    pathlib.Path({str(marker)!r}).write_text('done'); sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        f"pathlib.Path({str(tmp_path / 'ready')!r}).write_text('ready')\n"
        "time.sleep(120)\n"
    )]
    process = together(graceful, SLEEP)
    assert wait_for((tmp_path / "ready").exists)

    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=30) == 0
    assert marker.read_text() == "done"


def test_killed_outright_it_leaves_no_process_behind(tmp_path):
    pid_file = tmp_path / "pid"
    writes_pid = [sys.executable, "-c", (
        f"import os, time, pathlib; pathlib.Path({str(pid_file)!r}).write_text(str(os.getpid()));"
        " time.sleep(120)"
    )]
    process = together(writes_pid)
    assert wait_for(pid_file.exists)
    child = int(pid_file.read_text())

    process.kill()
    process.wait()

    assert wait_for(lambda: not alive(child)), "the worker outlived the process that ran it"


def test_the_mail_catcher_keeps_each_message_in_the_mail_folder_and_says_so(tmp_path):
    port = free_port()
    environment = {
        **os.environ, "DJANGO_EMAIL_HOST": "127.0.0.1", "DJANGO_EMAIL_PORT": str(port),
        "NEWSROOM_MAIL_DIR": str(tmp_path / "mail"), "NEWSROOM_VAR_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    catcher = subprocess.Popen(
        [sys.executable, "manage.py", "catch_mail"], cwd=PROJECT, env=environment,
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert "Catching the site's e-mail on 127.0.0.1:" in catcher.stdout.readline()
        message = EmailMessage()
        message["From"], message["To"] = "newsroom@localhost", "ines@courier.example"
        message["Subject"] = "Sent back to you: Ferry fares to rise"
        message.set_content("Lead with the season ticket.")
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.send_message(message)

        line = catcher.stdout.readline()
        assert "Mail to ines@courier.example: Sent back to you: Ferry fares to rise" in line
        (caught,) = messages_in(tmp_path / "mail")
        assert caught.get_content().strip() == "Lead with the season ticket."
        assert str(tmp_path / "mail") in line
    finally:
        catcher.send_signal(signal.SIGTERM)
        assert catcher.wait(timeout=20) == 0
