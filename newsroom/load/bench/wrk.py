"""wrk, the load generator the benchmark drives: its command line, and its results read."""

import json
import re
import shutil
import subprocess  # nosec B404 # only wrk, never a shell
from dataclasses import dataclass
from pathlib import Path

from . import BenchError

LUA_SCRIPT = Path(__file__).with_name("wrk.lua")


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int = 0
    non_2xx: int = 0


RESULT_LINE = re.compile(r"^BENCH-RESULT (\{.*\})\s*$", re.MULTILINE)
TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _wrk_time_ms(output, percent):
    match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
    return float(match[1]) * TIME_UNITS_MS[match[2]] if match else None


def parse_wrk(output):
    """Requests per second, p50 and p99 from wrk's output.

    Reads the line wrk.lua prints; without it, wrk's own summary as `--latency` prints it.
    """
    match = RESULT_LINE.search(output)
    if match:
        data = json.loads(match[1])
        seconds = data["duration_us"] / 1e6
        return WrkResult(
            requests_per_second=data["requests"] / seconds if seconds else 0.0,
            p50_ms=data["p50_us"] / 1000,
            p99_ms=data["p99_us"] / 1000,
            requests=data["requests"],
            errors=data["errors"],
            non_2xx=data["non_2xx"],
        )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50, p99 = _wrk_time_ms(output, 50), _wrk_time_ms(output, 99)
    if not rate or p50 is None or p99 is None:
        raise BenchError(f"wrk's output has no results:\n{output.strip()}")
    total = re.search(r"(\d+) requests in", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        requests_per_second=float(rate[1]),
        p50_ms=p50,
        p99_ms=p99,
        requests=int(total[1]) if total else 0,
        errors=sum(int(count) for count in sockets.groups()) if sockets else 0,
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
    )


def wrk_command(url, duration, threads, connections):
    wrk = shutil.which("wrk")
    if not wrk:
        raise BenchError("The benchmark needs wrk: sudo apt-get install -y wrk")
    return [
        wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
        "--latency", "-s", str(LUA_SCRIPT), url,
    ]


def run_wrk(url, duration, threads, connections):
    command = wrk_command(url, duration, threads, connections)
    completed = subprocess.run(command, capture_output=True, text=True, check=False)  # nosec B603 # wrk from shutil.which, fixed arguments
    if completed.returncode != 0:
        raise BenchError(f"wrk failed on {url}:\n{completed.stdout}{completed.stderr}")
    return parse_wrk(completed.stdout)
