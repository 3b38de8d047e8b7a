"""Running wrk with a scenario script, and reading the one JSON line its done() prints."""

import json
import subprocess

LUA_KEYS = ("scenario", "requests", "requests_per_second", "latency_ms", "non_2xx", "errors")


def parse_result(stdout):
    """The figures from wrk's output: the last line that is a JSON object with the scenario keys."""
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            result = json.loads(line)
        except ValueError:
            continue
        if isinstance(result, dict) and all(key in result for key in LUA_KEYS):
            return result
    raise ValueError("no result line in wrk's output:\n" + stdout)


def socket_errors(result):
    """Connect, read, write and timeout errors together (non-2xx answers are counted apart)."""
    return sum(result["errors"].values())


class Load:
    """One wrk process: a scenario script against a base URL for a number of seconds."""

    def __init__(self, wrk, script, url, seconds, connections, threads, args=(), timeout="10s"):
        self.command = [
            wrk, "--threads", str(threads), "--connections", str(max(connections, threads)),
            "--duration", f"{seconds}s", "--timeout", timeout, "--script", script, url, "--", *args,
        ]
        self.process = None

    def start(self):
        # A session of its own: Ctrl-C reaches the driver alone, which then stops everything in order.
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, start_new_session=True)
        return self

    def finish(self):
        """Waits for wrk and returns its figures; raises with wrk's output when it failed."""
        stdout, stderr = self.process.communicate()
        if self.process.returncode != 0:
            raise RuntimeError(f"wrk failed ({self.process.returncode}): {stderr}{stdout}")
        return parse_result(stdout)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def run_together(loads):
    """Starts every load at once, waits for all; the results in the same order."""
    try:
        for load in loads:
            load.start()
        return [load.finish() for load in loads]
    finally:
        for load in loads:
            load.stop()
