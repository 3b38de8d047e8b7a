"""bench/run: options, then the run: Argon2 limit, startup time, and per backend a server, seeded
users and the wrk scenarios; then the table, the JSON file and the chart."""

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time

from . import cpu, node_rs, report, seed, server, wrk

BENCH = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
LUA = os.path.join(BENCH, "lua")
SCENARIOS = ("healthz", "me", "login", "me_during_login", "register")
# The table's rows per scenario: the concurrent one reports both of its loads.
ROWS = {"me_during_login": ("me_during_login", "login_during_me")}
OTHER_CPU_WARNING = 10  # percent of one CPU used by processes that are neither authd nor wrk


def env(name, default):
    return os.environ.get(name) or default


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="bench/run", description="Load-test authd with wrk: throughput, latency and memory per scenario.",
        epilog="Defaults come from BENCH_DB, BENCH_USERS, BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, "
               "BENCH_THREADS, BENCH_TIMEOUT, BENCH_SCENARIOS and BENCH_POSTGRES_URL when set. AUTHD_* "
               "variables pass through to authd, except AUTHD_HOST, AUTHD_PORT and AUTHD_DATA_DIR.")
    p.add_argument("--authd", default=os.path.join(server.REPO, "build", "release", "src", "authd"),
                   help="the authd binary (default: build/release/src/authd)")
    p.add_argument("--db", choices=("sqlite", "postgres", "both"), default=env("BENCH_DB", "sqlite"))
    p.add_argument("--postgres-url", default=env("BENCH_POSTGRES_URL", None),
                   help="use this PostgreSQL server (a fresh database on it, dropped after) instead of "
                        "starting a throwaway one")
    p.add_argument("--users", type=int, default=int(env("BENCH_USERS", 200)), help="users to seed (200)")
    p.add_argument("--duration", type=int, default=int(env("BENCH_DURATION", 10)),
                   help="seconds per scenario (10)")
    p.add_argument("--warmup", type=int, default=int(env("BENCH_WARMUP", 2)),
                   help="seconds of uncounted load before each scenario (2)")
    p.add_argument("--connections", type=int, default=int(env("BENCH_CONNECTIONS", 32)), help="per wrk (32)")
    p.add_argument("--threads", type=int, default=int(env("BENCH_THREADS", 1)), help="wrk threads (1)")
    p.add_argument("--timeout", type=int, default=int(env("BENCH_TIMEOUT", 10)),
                   help="seconds before wrk counts a request as timed out (10); wrk leaves slower answers out "
                        "of its latency figures, so its default of 2 would hide the slow logins under load")
    p.add_argument("--scenarios", default=env("BENCH_SCENARIOS", ",".join(SCENARIOS)),
                   help="comma-separated, from: " + ", ".join(SCENARIOS))
    p.add_argument("--hash-seconds", type=float, default=3.0,
                   help="how long `authd hash-bench` hashes with each implementation (3)")
    p.add_argument("--node-rs", action=argparse.BooleanOptionalAction, default=env("BENCH_NODE_RS", "1") != "0",
                   help="also time @node-rs/argon2, installed from npm into a temporary folder, with the same "
                        "parameters (default: on; BENCH_NODE_RS=0 turns it off)")
    p.add_argument("--wrk", default="wrk", help="the wrk binary")
    p.add_argument("--results-dir", default=os.path.join(BENCH, "results"))
    p.add_argument("--no-chart", action="store_true", help="do not draw latest.png")
    p.add_argument("--publish", action="store_true", help="also copy the chart and figures to docs/benchmarks.*")
    p.add_argument("--check", action="store_true",
                   help="fail unless every scenario ran with no non-2xx answer and no socket error")
    args = p.parse_args(argv)
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [s for s in args.scenarios if s not in SCENARIOS]
    if unknown or not args.scenarios:
        p.error(f"unknown scenario(s) {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    if min(args.users, args.duration, args.threads, args.connections, args.timeout) < 1 or args.warmup < 0:
        p.error("--users, --duration, --threads, --connections and --timeout must be positive, "
                "--warmup not negative")
    if args.publish and args.no_chart:
        p.error("--publish needs the chart")
    args.authd = os.path.abspath(args.authd)
    if not os.access(args.authd, os.X_OK):
        p.error(f"{args.authd} is not an executable (build it: make build-release, or pass --authd)")
    if not shutil.which(args.wrk):
        p.error(f"{args.wrk} not found (scripts/install-deps installs wrk)")
    return args


def redact(text):
    """A URL's password replaced, for what the result file records (--postgres-url may hold one)."""
    return re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)


def mib(kib):
    return None if kib is None else round(kib / 1024, 1)


def first_field(path, key, separator):
    """The value of the first `key<separator>value` line of a file, or None."""
    with contextlib.suppress(OSError):
        with open(path) as src:
            for line in src:
                name, found, value = line.partition(separator)
                if found and name.strip() == key:
                    return value.strip().strip('"')
    return None


def machine_facts(wrk_binary):
    memory = first_field("/proc/meminfo", "MemTotal", ":")
    facts = {"nproc": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0)), "kernel": platform.release(),
             "cpu_model": first_field("/proc/cpuinfo", "model name", ":"),
             "memory_mib": int(memory.split()[0]) // 1024 if memory else None,
             "os": first_field("/etc/os-release", "PRETTY_NAME", "="), "wrk": None}
    with contextlib.suppress(OSError, IndexError):
        out = subprocess.run([wrk_binary, "--version"], capture_output=True, text=True)
        facts["wrk"] = (out.stdout + out.stderr).splitlines()[0].strip()
    return facts


def cpu_busy_percent(seconds=1.0):
    """How busy the machine is (percent of one CPU, every process): another load skews every figure,
    so the run records it and warns."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        before = cpu.machine_busy_seconds()
        time.sleep(seconds)
        return round(100 * (cpu.machine_busy_seconds() - before) / seconds, 1)
    return None


class Run:
    """One invocation: the options, a work directory, and what has been measured so far."""

    def __init__(self, args, work):
        self.args, self.work = args, work
        self.nonce = secrets.token_hex(4)
        self.rows = []
        self.backends = {}

    def base_env(self, data_dir):
        return server.authd_env({"AUTHD_HOST": "127.0.0.1", "AUTHD_PORT": "0", "AUTHD_DATA_DIR": data_dir})

    def argon2_limit(self):
        out = server.run_authd(self.args.authd, ["hash-bench", "--seconds", str(self.args.hash_seconds)],
                               self.base_env(os.path.join(self.work, "hash-bench")), self.work)
        argon2 = json.loads(out.strip().splitlines()[-1])
        if self.args.node_rs:  # right after, so that both see the same machine
            print("@node-rs/argon2 with the same parameters...", flush=True)
            node = node_rs.measure(argon2["memory_kib"], argon2["iterations"], self.args.hash_seconds, self.work)
            argon2 = report.compare_with_node_rs(argon2, node)
        return argon2

    def startup(self, runs=3):
        """Fresh processes on a migrated SQLite store; the first one also writes the JWT secret."""
        directory = os.path.join(self.work, "startup")
        os.makedirs(directory)
        environment = self.base_env(os.path.join(directory, "data"))
        server.run_authd(self.args.authd, ["migrate", "up"], environment, directory)
        times = [round(server.startup_ms(self.args.authd, environment, directory), 1) for _ in range(runs)]
        return {"median": sorted(times)[len(times) // 2], "runs": times}

    def loads(self, scenario, seconds, url, files, phase):
        a = self.args

        def load(script, *script_args):
            return wrk.Load(a.wrk, os.path.join(LUA, script), url, seconds, a.connections, a.threads, script_args,
                            timeout=f"{a.timeout}s")

        return {
            "healthz": lambda: [load("healthz.lua")],
            "me": lambda: [load("me.lua", files["cookies"])],
            "login": lambda: [load("login.lua", files["credentials"])],
            "register": lambda: [load("register.lua", f"{self.nonce}{phase}")],
            "me_during_login": lambda: [load("me.lua", files["cookies"]), load("login.lua", files["credentials"])],
        }[scenario]()

    def scenario(self, name, backend, authd, files, postgres_pid):
        a = self.args
        if a.warmup:
            wrk.run_together(self.loads(name, a.warmup, authd.url, files, "w"))
        authd.take_log(read=False)
        peak_reset = server.reset_peak(authd.pid)
        meter = cpu.Meter(authd.pid, postgres_pid).start()
        results = wrk.run_together(self.loads(name, a.duration, authd.url, files, "m"))
        usage = meter.stop()
        peak = server.memory_kib(authd.pid, "VmHWM") if peak_reset else None
        if not authd.alive():
            raise RuntimeError(f"authd died during {name} on {backend}:\n{authd.log_tail()}")
        troubled = any(r["non_2xx"] or wrk.socket_errors(r) for r in results)
        log = authd.take_log(read=troubled)
        for row_name, result in zip(ROWS.get(name, (name,)), results):
            row = {**result, "scenario": row_name, "backend": backend, "peak_rss_mib": mib(peak),
                   "cpu_percent": usage}
            if troubled:  # which answers they were, from authd's access log
                row["statuses"] = server.status_counts(log)
            self.rows.append(row)
            print(f"  {row_name:<16} {result['requests_per_second']:>10,.0f} req/s  p99 "
                  f"{result['latency_ms']['p99']:.2f} ms  non-2xx {result['non_2xx']}  "
                  f"errors {wrk.socket_errors(result)}", flush=True)
        if usage and usage["other"] > OTHER_CPU_WARNING:
            print(f"  warning: other processes used {usage['other']:.0f}% CPU during {name}", flush=True)

    def backend(self, backend):
        a = self.args
        directory = os.path.join(self.work, backend)
        os.makedirs(directory)
        environment = self.base_env(os.path.join(directory, "data"))
        with contextlib.ExitStack() as cleanup:
            postgres_pid = None
            if backend == "postgres":
                database = (server.ExistingPostgres(a.postgres_url, f"bench_{self.nonce}") if a.postgres_url
                            else server.ThrowawayPostgres())
                cleanup.callback(database.close)
                environment["DATABASE_URL"] = database.start()
                postgres_pid = database.pid()
                server.run_authd(a.authd, ["migrate", "up"], environment, directory)
            authd = server.Authd(a.authd, environment, directory)
            cleanup.callback(authd.stop)
            authd.start()
            print(f"{backend}: authd {authd.url} (pid {authd.pid}); seeding {a.users} users", flush=True)
            after_start = server.memory_kib(authd.pid, "VmRSS")
            started = time.monotonic()
            users = seed.seed_users(authd.url, a.users, self.nonce)
            seeding_s = round(time.monotonic() - started, 2)
            files = {"credentials": os.path.join(directory, "credentials.tsv"),
                     "cookies": os.path.join(directory, "cookies.txt")}
            seed.write_files(users, files["credentials"], files["cookies"])
            time.sleep(0.5)  # let the hashing pool's memory go back before reading "idle"
            after_seeding = server.memory_kib(authd.pid, "VmRSS")
            for name in a.scenarios:
                self.scenario(name, backend, authd, files, postgres_pid)
            exit_code = authd.stop()
        self.backends[backend] = {
            "users": a.users, "seeding_s": seeding_s, "exit_code": exit_code,
            "idle_rss_mib": {"after_start": mib(after_start), "after_seeding": mib(after_seeding)},
        }


def run(args):
    backends = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    started = datetime.datetime.now(datetime.timezone.utc)
    busy = cpu_busy_percent()
    if busy is not None and busy > OTHER_CPU_WARNING:
        print(f"warning: the CPUs were {busy}% busy before the run; the figures will be low", flush=True)
    work = server.make_tempdir("run")
    try:
        r = Run(args, work)
        # `authd version`: "authd <version>", then a line saying how the binary was built.
        version, _, build = server.run_authd(args.authd, ["version"], r.base_env(work), work).strip().partition("\n")
        print(f"{version}; Argon2 limit ({args.hash_seconds:g} s of hashing)...", flush=True)
        argon2 = r.argon2_limit()
        startup = r.startup()
        for backend in backends:
            r.backend(backend)
    finally:
        server.remove_tree(work)

    for backend, facts in r.backends.items():
        facts["derived"] = report.derived(r.rows, backend, argon2)
    result = {
        "format": 1,
        "started_utc": started.isoformat(timespec="seconds"),
        "command": redact(shlex.join(["bench/run"] + sys.argv[1:])),
        "environment": {k: redact(v) for k, v in sorted(os.environ.items()) if k.startswith(("BENCH_", "AUTHD_"))},
        "settings": {"db": args.db, "postgres": "existing server" if args.postgres_url else "throwaway",
                     "users": args.users, "duration_s": args.duration, "warmup_s": args.warmup,
                     "wrk_threads": args.threads, "wrk_connections": args.connections,
                     "wrk_connections_note": "per wrk process; me_during_login runs two",
                     "wrk_timeout_s": args.timeout,
                     "scenarios": args.scenarios},
        "machine": {**machine_facts(args.wrk), "cpu_busy_before_run_percent": busy},
        "authd": {"path": args.authd, "version": version, "build": build},
        "argon2": argon2,
        "startup_ms": startup,
        "backends": r.backends,
        "rows": r.rows,
    }
    return result


def save(args, result):
    os.makedirs(args.results_dir, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = os.path.join(args.results_dir, f"{stamp}-{args.db}.json")
    report.write_json(result, path)
    report.write_json(result, os.path.join(args.results_dir, "latest.json"))
    print(f"\nresults: {path}")
    if not args.no_chart:
        m = result["machine"]
        title = (f"{result['authd']['version']} on {' and '.join(result['backends'])}: "
                 f"{m['nproc']} CPUs ({m['cpu_model']}), "
                 f"wrk {args.threads} thread(s) x {args.connections} connections, {args.duration} s per scenario")
        png = report.write_chart(result["rows"], args.results_dir, title)
        print(f"chart:   {png}" if png else "chart:   skipped (gnuplot-nox is not installed)")
        if args.publish and png:
            docs = os.path.join(server.REPO, "docs")
            shutil.copyfile(png, os.path.join(docs, "benchmarks.png"))
            report.write_json(result, os.path.join(docs, "benchmarks.json"))
            print("published: docs/benchmarks.png, docs/benchmarks.json")
    return path


def main(argv):
    args = parse_args(argv)

    def terminate(signum, frame):
        raise SystemExit(128 + signum)  # unwinds through the clean-ups

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    try:
        result = run(args)
    except KeyboardInterrupt:
        print("bench/run: interrupted", file=sys.stderr)
        return 130
    except (RuntimeError, OSError, ValueError, subprocess.SubprocessError) as e:
        print(f"bench/run: {e}", file=sys.stderr)
        return 1
    print()
    print(report.format_table(result["rows"]))
    print()
    for line in report.summary_lines(result):
        print(line)
    path = save(args, result)
    if args.check:
        expected = [row for s in args.scenarios for row in ROWS.get(s, (s,))]
        problems = report.check(path, expected)
        for problem in problems:
            print(f"check: {problem}", file=sys.stderr)
        if problems:
            return 1
        print("check: every scenario ran with no non-2xx answer and no socket error")
    return 0
