"""@node-rs/argon2, the Argon2id a Node service would use (Rust, prebuilt), timed next to authd's:
installed from the npm registry into a temporary folder at the version node-rs/package-lock.json
pins, then node-rs/time_argon2.mjs hashes on one thread with the same parameters."""

import json
import os
import shutil
import subprocess

NODE_RS = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "node-rs")
FILES = ("package.json", "package-lock.json", "time_argon2.mjs")


def parse(output, memory_kib, iterations):
    """The JSON line time_argon2.mjs printed, checked to be a hash with the parameters asked for."""
    lines = [line for line in output.strip().splitlines() if line.startswith("{")]
    if not lines:
        raise ValueError(f"time_argon2.mjs printed no result line: {output[-500:]!r}")
    result = json.loads(lines[-1])
    expected = f"$argon2id$v=19$m={memory_kib},t={iterations},p=1$"
    if not str(result.get("sample", "")).startswith(expected):
        raise ValueError(f"@node-rs/argon2 hashed with other parameters: {result.get('sample')!r}, "
                         f"expected {expected}...")
    if not result.get("hashes", 0) > 0 or not result.get("ms_per_hash", 0) > 0:
        raise ValueError(f"@node-rs/argon2 timed nothing: {result}")
    return result


def measure(memory_kib, iterations, seconds, work):
    """@node-rs/argon2's time per hash ({"version", "ms_per_hash", ...}), or {"skipped": why} when
    node, npm or the registry is not at hand (the comparison is left out, not failed)."""
    for tool in ("node", "npm"):
        if not shutil.which(tool):
            return {"skipped": f"{tool} not found"}
    folder = os.path.join(work, "node-rs")
    os.makedirs(folder)
    for name in FILES:
        shutil.copyfile(os.path.join(NODE_RS, name), os.path.join(folder, name))
    try:
        install = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=folder,
                                 capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return {"skipped": "npm ci took more than 120 s"}
    if install.returncode != 0:
        return {"skipped": f"npm ci failed: {last_line(install)}"}
    try:
        out = subprocess.run(["node", "time_argon2.mjs", str(memory_kib), str(iterations), str(seconds)],
                             cwd=folder, capture_output=True, text=True, timeout=60 + 10 * seconds)
    except subprocess.TimeoutExpired:
        return {"skipped": "time_argon2.mjs did not finish"}
    if out.returncode != 0:  # no prebuilt binary for this platform, for one
        return {"skipped": f"time_argon2.mjs failed: {last_line(out)}"}
    return parse(out.stdout, memory_kib, iterations)


def last_line(completed):
    lines = (completed.stderr or completed.stdout or "").strip().splitlines()
    return lines[-1] if lines else f"exit code {completed.returncode}"
