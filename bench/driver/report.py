"""What a run prints and writes: the table, the summary lines, the JSON file, the chart; and the
--check of a result file."""

import json
import math
import os
import shutil
import subprocess

from . import wrk

COLUMNS = ("scenario", "backend", "requests/s", "p50 ms", "p99 ms", "non-2xx", "errors", "peak RSS MiB")


def number(value, digits):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def table_row(row):
    latency = row["latency_ms"]
    return (row["scenario"], row["backend"], number(row["requests_per_second"], 0), number(latency["p50"], 2),
            number(latency["p99"], 2), str(row["non_2xx"]), str(wrk.socket_errors(row)),
            number(row.get("peak_rss_mib"), 1))


def format_table(rows):
    """A plain-text table: names left-aligned, figures right-aligned."""
    cells = [COLUMNS] + [table_row(row) for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]

    def line(values):
        aligned = (v.ljust(w) if i < 2 else v.rjust(w) for i, (v, w) in enumerate(zip(values, widths)))
        return "  ".join(aligned).rstrip()

    return "\n".join([line(cells[0]), line(["-" * w for w in widths])] + [line(c) for c in cells[1:]])


def find(rows, scenario, backend):
    return next((r for r in rows if r["scenario"] == scenario and r["backend"] == backend), None)


def derived(rows, backend, argon2):
    """The ratios the table does not show: login against the Argon2 limit (and against what
    `hash-bench` measured with its threads in parallel), me against healthz."""
    out = {}
    login, me, healthz = (find(rows, s, backend) for s in ("login", "me", "healthz"))
    for key, limit in (("login_percent_of_argon2_limit", argon2.get("limit_per_second")),
                       ("login_percent_of_measured_parallel", argon2.get("measured_parallel_per_second"))):
        if login and limit:
            out[key] = round(100 * login["requests_per_second"] / limit, 1)
    if me and healthz and healthz["requests_per_second"]:
        out["me_over_healthz"] = round(me["requests_per_second"] / healthz["requests_per_second"], 3)
    during, alone = find(rows, "me_during_login", backend), me
    if during and alone and alone["requests_per_second"]:
        out["me_during_login_over_me"] = round(during["requests_per_second"] / alone["requests_per_second"], 3)
    return out


def compare_with_node_rs(argon2, node):
    """hash-bench's figures with @node-rs/argon2's added, and the ratio of the times per hash."""
    out = {**argon2, "node_rs": node}
    if node.get("ms_per_hash") and argon2.get("ms_per_hash"):
        out["time_over_node_rs"] = round(argon2["ms_per_hash"] / node["ms_per_hash"], 3)
    return out


def argon2_comparison_lines(argon2):
    """Time per hash of each implementation hash-bench timed, and of @node-rs/argon2."""
    timings = [f"{name} {ms:.2f}" for name, ms in argon2.get("ms_per_hash_by_implementation", {}).items()]
    node = argon2.get("node_rs") or {}
    if node.get("ms_per_hash"):
        timings.append(f"@node-rs/argon2 {node.get('version', '?')} {node['ms_per_hash']:.2f}")
    lines = []
    if timings:
        lines.append(f"Argon2id ms per hash on one core: {', '.join(timings)} "
                     f"(authd runs {argon2.get('implementation', '?')})")
    if "time_over_node_rs" in argon2:
        lines.append(f"authd's Argon2id takes {argon2['time_over_node_rs']:.2f}x the time of @node-rs/argon2's")
    elif "skipped" in node:
        lines.append(f"@node-rs/argon2 not timed: {node['skipped']}")
    return lines


def summary_lines(result):
    argon2 = result.get("argon2") or {}
    lines = []
    if argon2:
        lines.append(f"Argon2id limit: {argon2['limit_per_second']:.1f} hashes/s "
                     f"(m={argon2['memory_kib']} KiB, t={argon2['iterations']}, p={argon2['parallelism']}; "
                     f"{argon2['ms_per_hash']:.1f} ms per hash on one core; "
                     f"min({argon2['hash_threads']} hashing threads, {argon2['cores']} cores) in parallel)")
        if "measured_parallel_per_second" in argon2:
            lines.append(f"Argon2id measured with those threads in parallel: "
                         f"{argon2['measured_parallel_per_second']:.1f} hashes/s")
        lines.extend(argon2_comparison_lines(argon2))
    for backend, facts in result["backends"].items():
        d = facts.get("derived", {})
        if "login_percent_of_argon2_limit" in d:
            lines.append(f"{backend}: login at {d['login_percent_of_argon2_limit']:.1f}% of the Argon2 limit"
                         + (f" ({d['login_percent_of_measured_parallel']:.1f}% of the measured parallel rate)"
                            if "login_percent_of_measured_parallel" in d else ""))
        if "me_over_healthz" in d:
            lines.append(f"{backend}: me/healthz = {d['me_over_healthz']:.3f}")
        if "me_during_login_over_me" in d:
            lines.append(f"{backend}: me during a login flood keeps {100 * d['me_during_login_over_me']:.0f}% "
                         f"of its throughput alone")
        idle = facts.get("idle_rss_mib", {})
        lines.append(f"{backend}: idle RSS {number(idle.get('after_start'), 1)} MiB after start, "
                     f"{number(idle.get('after_seeding'), 1)} MiB after seeding {facts.get('users', '?')} users "
                     f"({number(facts.get('seeding_s'), 1)} s)")
    busy = result.get("machine", {}).get("cpu_busy_before_run_percent")
    if busy is not None:
        lines.append(f"CPU busy before the run (other processes): {busy:.1f}% of one CPU")
    usage = [(r["scenario"], r["backend"], (r.get("cpu_percent") or {}).get("other", 0)) for r in result["rows"]]
    if usage:
        worst = max(usage, key=lambda u: u[2])
        lines.append(f"CPU used by other processes during the scenarios: at most {worst[2]:.0f}% of one CPU "
                     f"({worst[0]} on {worst[1]})")
    startup = result.get("startup_ms")
    if startup:
        runs = ", ".join(number(ms, 1) for ms in startup["runs"])
        lines.append(f"startup (spawn to first 200 on /healthz, SQLite): {number(startup['median'], 1)} ms "
                     f"median of {runs}")
    return lines


def write_json(result, path):
    tmp = path + ".tmp"
    with open(tmp, "w") as out:
        json.dump(result, out, indent=2)
        out.write("\n")
    os.replace(tmp, path)


def chart_data(rows):
    """gnuplot's data file: one line per scenario, requests/s then p99 for each backend ("?" when
    missing)."""
    backends = list(dict.fromkeys(r["backend"] for r in rows))
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    header = [f"{b}_rps" for b in backends] + [f"{b}_p99_ms" for b in backends]
    lines = ["# scenario " + " ".join(header)]
    for scenario in scenarios:
        found = [find(rows, scenario, b) for b in backends]
        rps = [f"{r['requests_per_second']:.2f}" if r else "?" for r in found]
        p99 = [f"{r['latency_ms']['p99']:.3f}" if r else "?" for r in found]
        lines.append(" ".join([scenario] + rps + p99))
    return backends, "\n".join(lines) + "\n"


def chart_script(data_path, png_path, backends, title):
    n = len(backends)
    rps = ", ".join(f"'{data_path}' using {2 + i}:xtic(1) title '{b}'" for i, b in enumerate(backends))
    p99 = ", ".join(f"'{data_path}' using {2 + n + i}:xtic(1) title '{b}'" for i, b in enumerate(backends))
    return f"""set terminal pngcairo size 1000,760 noenhanced font ',10'
set output '{png_path}'
set datafile missing '?'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set grid ytics
set logscale y
set key top right
set xtics scale 0
set multiplot layout 2,1 title '{title}'
set ylabel 'requests/s (log scale)'
plot {rps}
set ylabel 'p99 latency, ms (log scale)'
plot {p99}
unset multiplot
"""


def write_chart(rows, directory, title):
    """latest.dat, latest.gp and latest.png in `directory`; the PNG path, or None without gnuplot."""
    if not shutil.which("gnuplot"):
        return None
    backends, data = chart_data(rows)
    data_path, script_path, png_path = (os.path.join(directory, "latest." + e) for e in ("dat", "gp", "png"))
    with open(data_path, "w") as out:
        out.write(data)
    with open(script_path, "w") as out:
        out.write(chart_script(data_path, png_path, backends, title))
    subprocess.run(["gnuplot", script_path], check=True, capture_output=True)
    return png_path


def check(result_path, scenarios):
    """Problems with a result file: not JSON, a scenario missing or without requests, any non-2xx or
    socket error, authd not exiting cleanly. An empty list when all is well. No speed is judged."""
    try:
        with open(result_path) as src:
            result = json.load(src)
    except (OSError, ValueError) as e:
        return [f"{result_path}: not a readable JSON file: {e}"]
    problems = []
    for key in ("machine", "settings", "authd", "argon2", "startup_ms", "backends", "rows"):
        if key not in result:
            problems.append(f"{result_path}: no {key!r}")
    rows = result.get("rows", [])
    for backend, facts in result.get("backends", {}).items():
        if facts.get("exit_code") not in (0, None):  # a sanitizer's report on exit, for one
            problems.append(f"authd on {backend} exited with {facts['exit_code']} when stopped")
        for scenario in scenarios:
            row = find(rows, scenario, backend)
            if row is None:
                problems.append(f"{scenario} on {backend}: no figures")
                continue
            if not row["requests"] > 0:
                problems.append(f"{scenario} on {backend}: no request completed")
            if row["non_2xx"]:
                problems.append(f"{scenario} on {backend}: {row['non_2xx']} non-2xx answers "
                                f"(statuses {row.get('statuses')})")
            if wrk.socket_errors(row):
                problems.append(f"{scenario} on {backend}: socket errors {row['errors']}")
    return problems
