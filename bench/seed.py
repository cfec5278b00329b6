#!/usr/bin/env python3
"""Seeds the service for bench/run.sh: registers USERS users and logs them in until there are
TOKENS valid tokens, all in parallel over keep-alive connections (standard library only).

    seed.py BASE_URL USERS TOKENS CONCURRENCY PREFIX OUT_DIR

Writes OUT_DIR/users.txt ("username password" a line) and OUT_DIR/tokens.txt (a token a line,
consecutive tokens from different users) and prints one line of JSON with what it did.
Exits 1 when it got no token at all.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

base, users, tokens, concurrency, prefix, out_dir = sys.argv[1:7]
users, tokens, concurrency = int(users), int(tokens), int(concurrency)
url = urllib.parse.urlsplit(base)
local = threading.local()


def post(path, body):
    for attempt in range(3):
        connection = getattr(local, "connection", None)
        if connection is None:
            connection = local.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        try:
            connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
            response = connection.getresponse()
            data = response.read()
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                local.connection = None
            return response.status, data
        except (OSError, http.client.HTTPException):
            connection.close()
            local.connection = None
            if attempt == 2:
                return "io-error", b""
            time.sleep(0.2)


def credentials(i):
    return f"{prefix}-{i}", f"Sun-Orchard-{i}-Quill"


def register(i):
    username, password = credentials(i)
    status, _ = post("/register-user", {"username": username, "password": password,
                                        "email": f"{username}@example.com"})
    return i, status


def login(i):
    username, password = credentials(i)
    status, data = post("/token", {"username": username, "password": password})
    token = json.loads(data).get("token") if status == 200 else None
    return status, token


with ThreadPoolExecutor(concurrency) as pool:
    started = time.monotonic()
    registered = list(pool.map(register, range(users)))
    register_seconds = time.monotonic() - started
    register_statuses = Counter(str(status) for _, status in registered)
    ok_users = [i for i, status in registered if status == 201]

    started = time.monotonic()
    logins = list(pool.map(login, [ok_users[n % len(ok_users)] for n in range(tokens)])) if ok_users else []
    login_seconds = time.monotonic() - started
    login_statuses = Counter(str(status) for status, _ in logins)

with open(f"{out_dir}/users.txt", "w") as f:
    for i in ok_users:
        f.write("%s %s\n" % credentials(i))
with open(f"{out_dir}/tokens.txt", "w") as f:
    for _, token in logins:
        if token:
            f.write(token + "\n")

got = sum(1 for _, token in logins if token)
print(json.dumps({
    "users": len(ok_users), "register_statuses": register_statuses,
    "register_seconds": round(register_seconds, 2),
    "register_per_s": round(users / register_seconds, 2) if register_seconds else None,
    "tokens": got, "login_statuses": login_statuses, "login_seconds": round(login_seconds, 2),
    "login_per_s": round(tokens / login_seconds, 2) if login_seconds else None,
}))
sys.exit(0 if got else 1)
