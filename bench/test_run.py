#!/usr/bin/env python3
"""Unit tests of bench/run's pure functions: `python3 bench/test_run.py` (ctest runs it)."""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
sys.dont_write_bytecode = True

from driver import cli, cpu, node_rs, report, seed, server, wrk  # noqa: E402

WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:40123
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   120.00us   30.00us   1.00ms   90.00%
  9000 requests in 1.00s, 1.2MB read
Requests/sec:   9000.00
Transfer/sec:      1.2MB
{"scenario":"healthz","requests":9000,"duration_s":1.000,"requests_per_second":9000.00,\
"latency_ms":{"p50":0.110,"p90":0.150,"p99":0.400,"mean":0.120,"max":1.000},"non_2xx":0,\
"errors":{"connect":0,"read":1,"write":0,"timeout":2},"bytes":1200000}
"""


def row(scenario, backend, rps, p99=1.0, non_2xx=0, errors=None):
    return {"scenario": scenario, "backend": backend, "requests": int(rps), "requests_per_second": rps,
            "latency_ms": {"p50": p99 / 2, "p99": p99}, "non_2xx": non_2xx,
            "errors": errors or {"connect": 0, "read": 0, "write": 0, "timeout": 0}, "peak_rss_mib": 12.5}


class ParseResult(unittest.TestCase):
    def test_reads_the_json_line_among_wrks_own_output(self):
        result = wrk.parse_result(WRK_OUTPUT)
        self.assertEqual(result["scenario"], "healthz")
        self.assertEqual(result["requests"], 9000)
        self.assertAlmostEqual(result["latency_ms"]["p99"], 0.4)
        self.assertEqual(wrk.socket_errors(result), 3)

    def test_refuses_output_without_a_result_line(self):
        with self.assertRaises(ValueError):
            wrk.parse_result("Running 1s test\n{not json}\n{\"other\": 1}\n")

    def test_wrk_command_has_the_script_arguments_after_the_url(self):
        load = wrk.Load("wrk", "me.lua", "http://127.0.0.1:1", 10, 32, 1, ("cookies.txt",))
        self.assertEqual(load.command[-3:], ["http://127.0.0.1:1", "--", "cookies.txt"])
        self.assertIn("10s", load.command)


class Table(unittest.TestCase):
    def test_columns_line_up_and_figures_are_rounded(self):
        text = report.format_table([row("healthz", "sqlite", 45123.4, 0.5),
                                    row("login", "postgres", 98.7, 310.25)])
        lines = text.splitlines()
        self.assertEqual(len(lines), 4)
        self.assertTrue(lines[0].startswith("scenario"))
        self.assertIn("45,123", lines[2])
        self.assertIn("310.25", lines[3])
        # Right-aligned figures end in the same column.
        self.assertEqual(lines[2].index("12.5"), lines[3].index("12.5"))

    def test_missing_peak_prints_a_dash(self):
        r = row("me", "sqlite", 10.0)
        r["peak_rss_mib"] = None
        self.assertTrue(report.format_table([r]).splitlines()[2].endswith("-"))


class Derived(unittest.TestCase):
    def test_ratios(self):
        rows = [row("healthz", "sqlite", 40000), row("me", "sqlite", 20000), row("login", "sqlite", 58),
                row("me_during_login", "sqlite", 10000)]
        d = report.derived(rows, "sqlite", {"limit_per_second": 116.0, "measured_parallel_per_second": 58.0})
        self.assertEqual(d["login_percent_of_argon2_limit"], 50.0)
        self.assertEqual(d["login_percent_of_measured_parallel"], 100.0)
        self.assertEqual(d["me_over_healthz"], 0.5)
        self.assertEqual(d["me_during_login_over_me"], 0.5)
        self.assertEqual(report.derived(rows, "postgres", {"limit_per_second": 116.0}), {})


class Argon2Comparison(unittest.TestCase):
    HASH_BENCH = {"memory_kib": 19456, "iterations": 2, "implementation": "avx512", "ms_per_hash": 5.0,
                  "ms_per_hash_by_implementation": {"avx512": 5.0, "libsodium": 17.0, "libargon2": 24.0}}

    def test_ratio_and_lines(self):
        argon2 = report.compare_with_node_rs(self.HASH_BENCH, {"version": "2.2.1", "ms_per_hash": 10.0})
        self.assertEqual(argon2["time_over_node_rs"], 0.5)
        lines = report.argon2_comparison_lines(argon2)
        self.assertIn("avx512 5.00, libsodium 17.00, libargon2 24.00, @node-rs/argon2 2.2.1 10.00", lines[0])
        self.assertIn("0.50x", lines[1])

    def test_a_skipped_comparison_says_why(self):
        argon2 = report.compare_with_node_rs(self.HASH_BENCH, {"skipped": "npm not found"})
        self.assertNotIn("time_over_node_rs", argon2)
        self.assertIn("@node-rs/argon2 not timed: npm not found", report.argon2_comparison_lines(argon2))

    def test_node_rs_output_must_show_the_parameters_asked_for(self):
        line = ('{"version":"2.2.1","hashes":3,"ms_per_hash":9.5,'
                '"sample":"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"}')
        self.assertEqual(node_rs.parse("npm noise\n" + line, 19456, 2)["ms_per_hash"], 9.5)
        with self.assertRaises(ValueError):
            node_rs.parse(line, 65536, 2)
        with self.assertRaises(ValueError):
            node_rs.parse("no json here", 19456, 2)


class Chart(unittest.TestCase):
    def test_data_file_has_a_column_per_backend_and_marks_gaps(self):
        backends, data = report.chart_data([row("healthz", "sqlite", 100, 1), row("healthz", "postgres", 90, 2),
                                            row("login", "sqlite", 50, 3)])
        self.assertEqual(backends, ["sqlite", "postgres"])
        lines = data.splitlines()
        self.assertEqual(lines[1].split(), ["healthz", "100.00", "90.00", "1.000", "2.000"])
        self.assertEqual(lines[2].split(), ["login", "50.00", "?", "3.000", "?"])


class Check(unittest.TestCase):
    def write(self, result):
        handle, path = tempfile.mkstemp(suffix=".json")
        with os.fdopen(handle, "w") as out:
            out.write(result if isinstance(result, str) else json.dumps(result))
        self.addCleanup(os.remove, path)
        return path

    def result(self, rows):
        return {"machine": {}, "settings": {}, "authd": {}, "argon2": {}, "startup_ms": {},
                "backends": {"sqlite": {}}, "rows": rows}

    def test_clean_run_passes(self):
        self.assertEqual(report.check(self.write(self.result([row("me", "sqlite", 5)])), ["me"]), [])

    def test_non_2xx_errors_and_missing_scenarios_are_reported(self):
        rows = [row("me", "sqlite", 5, non_2xx=3),
                row("login", "sqlite", 5, errors={"connect": 0, "read": 0, "write": 0, "timeout": 1})]
        problems = report.check(self.write(self.result(rows)), ["me", "login", "register"])
        self.assertEqual(len(problems), 3, problems)

    def test_unclean_exit_is_reported(self):
        result = self.result([row("me", "sqlite", 5)])
        result["backends"]["sqlite"]["exit_code"] = 1
        self.assertEqual(len(report.check(self.write(result), ["me"])), 1)

    def test_broken_json_is_reported(self):
        self.assertEqual(len(report.check(self.write("{"), ["me"])), 1)


class Helpers(unittest.TestCase):
    def test_status_counts_from_the_access_log(self):
        log = (b"[info] access method=GET path=/auth/me status=200 duration_ms=0.1 request_id=a\n"
               b"[info] access method=POST path=/auth/login status=503 duration_ms=0.1 request_id=b\n"
               b"[info] access method=GET path=/auth/me status=200 duration_ms=0.1 request_id=c\n")
        self.assertEqual(server.status_counts(log), {"GET /auth/me 200": 2, "POST /auth/login 503": 1})

    def test_listening_line(self):
        found = server.LISTENING.search(b"[info] listening on http://127.0.0.1:39999 (2 I/O threads)")
        self.assertEqual(found.groups(), (b"127.0.0.1", b"39999"))

    def test_database_url_keeps_the_socket_query(self):
        self.assertEqual(server.with_database("postgresql://authd@/postgres?host=/tmp/pg/sock", "bench_1"),
                         "postgresql://authd@/bench_1?host=/tmp/pg/sock")

    def test_passwords_in_urls_are_not_recorded(self):
        self.assertEqual(cli.redact("--postgres-url postgresql://u:s3cr%40t@db:5432/x --users 4"),
                         "--postgres-url postgresql://u:***@db:5432/x --users 4")
        unchanged = "postgresql://authd@/postgres?host=/tmp/s"
        self.assertEqual(cli.redact(unchanged), unchanged)

    def test_cpu_meter_splits_the_machine_time(self):
        meter = cpu.Meter(os.getpid()).start()
        sum(i * i for i in range(200000))  # some CPU of this process's own
        usage = meter.stop()
        self.assertEqual(set(usage), {"authd", "wrk", "driver", "other"})
        self.assertTrue(all(v >= 0 for v in usage.values()))

    def test_session_cookie(self):
        headers = [("Content-Type", "application/json"),
                   ("Set-Cookie", "token=abc.def; HttpOnly; SameSite=Lax; Path=/; Max-Age=1800")]
        self.assertEqual(seed.session_cookie(headers), "token=abc.def")
        self.assertIsNone(seed.session_cookie([]))


if __name__ == "__main__":
    unittest.main()
