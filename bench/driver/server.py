"""authd and PostgreSQL processes for a run: start, watch memory, stop, clean up."""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse

LISTENING = re.compile(rb"listening on http://(\[[^\]]+\]|[^\s:/]+):(\d+)")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))


# One load generator registers thousands of accounts from one address: the per-address registration
# limit would answer 429 after the first few, so benchmarks turn it off (the user's AUTHD_* wins).
BENCH_DEFAULTS = {"AUTHD_THROTTLE_ADDRESS_REGISTRATIONS": "0"}


def authd_env(overrides):
    """The user's environment (AUTHD_* and JWT_SECRET pass through) without a database choice of its
    own, over the benchmark defaults, plus the run's settings."""
    env = dict(BENCH_DEFAULTS)
    env.update({k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")})
    env.update(overrides)
    return env


def run_checked(command, **kwargs):
    """Runs a command to completion; raises with its output when it fails."""
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr}{done.stdout}")
    return done.stdout


def run_authd(binary, args, env, cwd, timeout=120):
    """A short authd command (version, migrate, hash-bench); its stdout, or an error with its output."""
    return run_checked([binary, *args], env=env, cwd=cwd, timeout=timeout)


def memory_kib(pid, field):
    """VmRSS, VmHWM... of a process, in KiB; None when it cannot be read."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def reset_peak(pid):
    """Sets VmHWM back to the current RSS (Linux 4.0+), so the next peak is the next scenario's."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


class Authd:
    """`authd serve` on 127.0.0.1 with a port the kernel picks; the log goes to a file in `workdir`."""

    def __init__(self, binary, env, workdir):
        self.binary, self.env, self.workdir = binary, env, workdir
        self.log_path = os.path.join(workdir, "authd.log")
        self.process = None
        self.url = None

    def start(self, timeout=30):
        # O_APPEND: truncating the log between scenarios keeps the disk use bounded.
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([self.binary, "serve"], env=self.env, cwd=self.workdir,
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log_path, "rb") as log:
                found = LISTENING.search(log.read())
            if found:
                self.url = f"http://{found.group(1).decode()}:{found.group(2).decode()}"
                return self
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"authd exited ({self.process.returncode}) before listening:\n{self.log_tail()}")
            time.sleep(0.01)
        raise RuntimeError(f"authd did not log where it listens within {timeout} s:\n{self.log_tail()}")

    @property
    def pid(self):
        return self.process.pid

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, "rb") as log:
                log.seek(max(0, os.path.getsize(self.log_path) - 64 * 1024))
                return b"\n".join(log.read().splitlines()[-lines:]).decode(errors="replace")
        except OSError:
            return ""

    def take_log(self, read=True):
        """The log so far (when `read`), emptied: one scenario's access lines are read, then dropped."""
        text = b""
        if read:
            with open(self.log_path, "rb") as log:
                text = log.read()
        os.truncate(self.log_path, 0)
        return text

    def stop(self, grace=10):
        """SIGTERM, then SIGKILL after `grace` seconds; the exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


ACCESS = re.compile(rb" access method=(\S+) path=(\S+) status=(\d+)")


def status_counts(log):
    """How many answers of each method, path and status the access lines of `log` (bytes) record."""
    counts = {}
    for found in ACCESS.finditer(log):
        key = b" ".join(found.groups()).decode(errors="replace")
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthz_ok(port):
    """True when GET /healthz answers 200 now; False when nothing listens yet or it answers otherwise."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            head = b""
            while b"\r\n" not in head:
                chunk = conn.recv(256)
                if not chunk:
                    break
                head += chunk
            return head.startswith(b"HTTP/1.1 200 ")
    except OSError:
        return False


def startup_ms(binary, env, workdir, timeout=30):
    """Milliseconds from spawning `authd serve` to the first 200 on /healthz. The port is chosen
    here, not read from the log, so that the clock does not depend on how fast the log is seen."""
    port = free_port()
    server = Authd(binary, {**env, "AUTHD_PORT": str(port)}, workdir)
    with open(server.log_path, "ab") as log:
        started = time.monotonic()
        server.process = subprocess.Popen([binary, "serve"], env=server.env, cwd=workdir,
                                          stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                          start_new_session=True)
    try:
        while not healthz_ok(port):
            if server.process.poll() is not None:
                raise RuntimeError(f"authd exited ({server.process.returncode}) at start:\n{server.log_tail()}")
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"authd did not answer /healthz within {timeout} s:\n{server.log_tail()}")
            time.sleep(0.0005)
        return (time.monotonic() - started) * 1000
    finally:
        server.stop()


def make_tempdir(label):
    return tempfile.mkdtemp(prefix=f"authd-bench-{label}-")


def remove_tree(path):
    shutil.rmtree(path, ignore_errors=True)


class ThrowawayPostgres:
    """scripts/throwaway-postgres in a temporary directory, destroyed at the end."""

    script = os.path.join(REPO, "scripts", "throwaway-postgres")

    def __init__(self):
        self.dir = make_tempdir("postgres")  # the script opens it to the postgres user when run as root
        self.url = None

    def start(self):
        run_checked([self.script, "start", self.dir], start_new_session=True)
        self.url = run_checked([self.script, "url", self.dir]).strip()
        return self.url

    def pid(self):
        """The postmaster's process id (its CPU, and its backends', is counted apart)."""
        with open(os.path.join(self.dir, "data", "postmaster.pid")) as pidfile:
            return int(pidfile.readline())

    def close(self):
        subprocess.run([self.script, "destroy", self.dir], capture_output=True)
        remove_tree(self.dir)


def with_database(url, name):
    """`url` pointing at database `name` (the query, e.g. ?host=/socket/dir, is kept)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


class ExistingPostgres:
    """A fresh database on a server someone else runs (--postgres-url), dropped at the end."""

    def __init__(self, server_url, name):
        self.server_url, self.name = server_url, name
        self.url = None

    def _psql(self, sql):
        run_checked(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.server_url, "-c", sql])

    def pid(self):
        return None  # maybe on another machine: its CPU is not counted

    def start(self):
        self._psql(f'CREATE DATABASE "{self.name}"')
        self.url = with_database(self.server_url, self.name)
        return self.url

    def close(self):
        if self.url:
            self._psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
