"""Who used the CPUs during a scenario: authd, wrk, and everything else. On a machine shared with
other work, "everything else" says how far to trust the figures."""

import os
import resource
import time

TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_seconds():
    """CPU seconds spent on anything but idle and iowait, all CPUs, since boot."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:9]]  # guest time is inside user already
    return (sum(fields) - fields[3] - fields[4]) / TICKS


def process_seconds(pid):
    """CPU seconds of a live process (utime + stime), or 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def tree_seconds(pid):
    """CPU seconds of a process and its live children (a PostgreSQL server and its backends)."""
    total = process_seconds(pid)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        total += process_seconds(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return total


def own_seconds(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


class Meter:
    """CPU use between start() and stop(), in percent of one CPU, like top: authd, the children this
    process waited for in between (the wrk processes), the PostgreSQL server when it is ours, and
    the rest of the machine."""

    def __init__(self, authd_pid, postgres_pid=None):
        self.authd_pid, self.postgres_pid = authd_pid, postgres_pid

    def _sample(self):
        return (time.monotonic(), machine_busy_seconds(), process_seconds(self.authd_pid),
                own_seconds(resource.RUSAGE_CHILDREN), own_seconds(resource.RUSAGE_SELF),
                tree_seconds(self.postgres_pid) if self.postgres_pid else 0.0)

    def start(self):
        self.before = self._sample()
        return self

    def stop(self):
        after = self._sample()
        wall, busy, authd, wrk, driver, postgres = (a - b for a, b in zip(after, self.before))
        if wall <= 0:
            return None
        other = max(0.0, busy - authd - wrk - driver - postgres)
        usage = {"authd": authd, "wrk": wrk, "driver": driver, "other": other}
        if self.postgres_pid:
            usage["postgres"] = postgres
        return {name: round(100 * seconds / wall, 1) for name, seconds in usage.items()}
