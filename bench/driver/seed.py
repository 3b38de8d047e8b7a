"""Seeding: registering users and logging them in, to get the credentials and cookies the
scenarios send. Each register and login costs one Argon2 run, so they go out concurrently."""

import concurrent.futures
import http.client
import json
import threading
import time
import urllib.parse


class Client:
    """Keep-alive HTTP/1.1 to authd, one connection per thread."""

    def __init__(self, base_url):
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.local = threading.local()

    def post_json(self, path, body, attempts=5):
        """(status, headers, body); 503 (hashing queue full) is retried after a pause."""
        for attempt in range(attempts):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                self.local.conn = None
                if attempt + 1 == attempts:
                    raise
                continue
            if response.status != 503 or attempt + 1 == attempts:
                return response.status, response.getheaders(), data
            time.sleep(0.1 * (attempt + 1))


def session_cookie(headers):
    """The "name=value" of the first Set-Cookie header, as a client sends it back."""
    for name, value in headers:
        if name.lower() == "set-cookie":
            return value.split(";", 1)[0].strip()
    return None


def seed_users(base_url, count, nonce, workers=8):
    """Registers `count` users, then logs each in; a list of (email, password, cookie)."""
    client = Client(base_url)

    def register(i):
        email = f"seed-{nonce}-{i}@example.com"
        password = f"bench-Pass-{nonce}-{i}"
        status, _, body = client.post_json(
            "/auth/register", {"email": email, "password": password, "name": f"Bench User {i}"})
        if status != 201:
            raise RuntimeError(f"register {email}: {status} {body[:200]!r}")
        return email, password

    def login(credentials):
        email, password = credentials
        status, headers, body = client.post_json("/auth/login", {"email": email, "password": password})
        cookie = session_cookie(headers)
        if status != 200 or not cookie:
            raise RuntimeError(f"login {email}: {status} {body[:200]!r}")
        return email, password, cookie

    pool = concurrent.futures.ThreadPoolExecutor(workers)
    try:
        registered = list(pool.map(register, range(count)))
        return list(pool.map(login, registered))
    finally:  # on an error or Ctrl-C, what has not started is dropped rather than waited for
        pool.shutdown(cancel_futures=True)


def write_files(users, credentials_path, cookies_path):
    """The files the Lua scripts read: "email<TAB>password" and "name=value" lines."""
    with open(credentials_path, "w") as out:
        out.writelines(f"{email}\t{password}\n" for email, password, _ in users)
    with open(cookies_path, "w") as out:
        out.writelines(f"{cookie}\n" for _, _, cookie in users)
