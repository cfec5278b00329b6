#!/usr/bin/env python3
"""HTTP clients of the reliability scripts (standard library only, one thread per client).

  client.py register BASE OUT [--clients N]      register new users until the server dies;
                                                 append each name that got a 201 to OUT
  client.py login BASE FILE [--clients N]        log in every user named in FILE; exit 1 unless all get 200
  client.py race BASE [--count N]                N concurrent registrations of one name, then N
                                                 concurrent logins of it; exit 1 unless 1x201 + (N-1)x409, Nx200
  client.py tokens BASE COUNT [--clients N]      register one user, log it in COUNT times and check each
                                                 token once; exit 1 unless all get 200
  client.py soak BASE SECONDS [--clients N] [--admin USER:PASSWORD]
                                                 mixed traffic; exit 1 on any 5xx or unexpected status

Every user gets the same password (PASSWORD below): what is tested is the service, not the secret.
"""

import argparse
import collections
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse
import uuid

PASSWORD = "Reliable-Orchard-42-Quill"
TIMEOUT = 60


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects after an error."""

    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.connection = None

    def request(self, method, path, body=None, headers=None, form=False):
        """Returns (status, parsed JSON or None, headers); raises OSError if the server did not answer."""
        headers = dict(headers or {})
        if body is not None:
            if form:
                body = urllib.parse.urlencode(body)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                body = json.dumps(body)
                headers["Content-Type"] = "application/json"
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as ex:
            self.connection.close()
            self.connection = None
            raise OSError(str(ex)) from ex
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return response.status, parsed, response.headers

    def register(self, username):
        return self.request("POST", "/register-user",
                            {"username": username, "password": PASSWORD, "email": username + "@example.com"})

    def login(self, username, password=PASSWORD, form=False):
        if form:
            return self.request("POST", "/token",
                                {"grant_type": "password", "username": username, "password": password}, form=True)
        return self.request("POST", "/token", {"username": username, "password": password})


def unique_name(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:12])


def run_threads(count, target):
    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def register(args):
    """Registers as fast as the clients can until the server stops answering (it gets kill -9)."""
    statuses = collections.Counter()
    lock = threading.Lock()
    prefix = unique_name("dur")

    def worker(index):
        client = Client(args.base)
        deadline = time.monotonic() + args.max_seconds
        sequence = 0
        with open(args.out, "a") as out:
            while time.monotonic() < deadline:
                sequence += 1
                username = "%s-%d-%d" % (prefix, index, sequence)
                try:
                    status, _, _ = client.register(username)
                except OSError:
                    with lock:
                        statuses["no answer"] += 1
                    return
                if status == 201:
                    # Written before the next request, so every 201 is on record when the server dies.
                    out.write(username + "\n")
                    out.flush()
                with lock:
                    statuses[status] += 1

    run_threads(args.clients, worker)
    print("registrations: " + ", ".join("%s: %d" % (k, v) for k, v in sorted(statuses.items(), key=str)))
    unexpected = {k: v for k, v in statuses.items() if k not in (201, "no answer")}
    return 1 if unexpected else 0


def login(args):
    with open(args.file) as names:
        usernames = [line.strip() for line in names if line.strip()]
    failures = []
    lock = threading.Lock()

    def worker(index):
        client = Client(args.base)
        for username in usernames[index::args.clients]:
            try:
                status = client.login(username)[0]
            except OSError as ex:
                status = "no answer (%s)" % ex
            if status != 200:
                with lock:
                    failures.append((username, status))

    run_threads(args.clients, worker)
    print("logins: %d of %d users got 200" % (len(usernames) - len(failures), len(usernames)))
    for username, status in failures[:20]:
        print("  %s: %s" % (username, status))
    return 1 if failures else 0


def tokens(args):
    """Tokens issued and checked as fast as the clients can: fills the service's remembered-token cache."""
    username = unique_name("tokens")
    status = Client(args.base).register(username)[0]
    if status != 201:
        raise SystemExit("registration failed: %s" % status)
    statuses = collections.Counter()
    lock = threading.Lock()
    started = time.monotonic()

    def worker(index):
        client = Client(args.base)
        for _ in range(index, args.count, args.clients):
            status, body, _ = client.login(username)
            if status == 200:
                status = "check %s" % client.request("GET", "/token_status/" + body["token"])[0]
            with lock:
                statuses[status] += 1

    run_threads(args.clients, worker)
    print("tokens: %d issued and checked in %.0f s: %s" % (
        args.count, time.monotonic() - started, dict(statuses)))
    return 0 if statuses == {"check 200": args.count} else 1


def burst(base, count, call):
    """count calls released at the same moment from their own threads; their statuses."""
    barrier = threading.Barrier(count)
    statuses = [None] * count

    def worker(index):
        client = Client(base)
        try:
            client.request("GET", "/actuator/health/liveness")  # connect before the barrier
        except OSError:
            pass  # the call below reports it
        barrier.wait()
        try:
            statuses[index] = call(client)[0]
        except OSError:
            statuses[index] = "no answer"

    run_threads(count, worker)
    return collections.Counter(statuses)


def race(args):
    username = unique_name("race")

    started = time.monotonic()
    registrations = burst(args.base, args.count, lambda client: client.register(username))
    registered_in = time.monotonic() - started
    started = time.monotonic()
    logins = burst(args.base, args.count, lambda client: client.login(username))
    logged_in_in = time.monotonic() - started
    failed = 0
    for name, counts, expected, seconds in (
            ("registrations of one username", registrations, {201: 1, 409: args.count - 1}, registered_in),
            ("logins of one user", logins, {200: args.count}, logged_in_in)):
        ok = dict(counts) == expected
        failed += 0 if ok else 1
        print("%s %d concurrent %s: %s in %.1f s (expected %s)" % (
            "PASS" if ok else "FAIL", args.count, name, dict(counts), seconds, expected))
    return 1 if failed else 0


class Soak:
    """Each client plays one user's life in a loop; every answer is checked against the contract."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.unexpected = collections.Counter()
        self.admin_token = None
        if args.admin:
            status, body, _ = Client(args.base).login(*args.admin.split(":", 1))
            if status != 200:
                raise SystemExit("admin login failed: %s" % status)
            self.admin_token = body["token"]

    def expect(self, what, reply, expected):
        status = reply[0]
        with self.lock:
            self.counts[what] += 1
            if status != expected:
                self.unexpected["%s: %s (expected %s)" % (what, status, expected)] += 1
        return reply

    def life(self, client, deadline):
        username = unique_name("soak")
        _, body, _ = self.expect("register", client.register(username), 201)
        try:
            self.use(client, username, deadline)
        finally:
            if self.admin_token:
                # Deleted at the end of its life, so the data stays the same size and the heap can settle.
                self.expect("remove-user", client.request(
                    "DELETE", "/remove-user/%s" % (body or {}).get("user_id"),
                    headers={"Authorization": "Bearer " + self.admin_token}), 200)

    def use(self, client, username, deadline):
        while time.monotonic() < deadline:
            form = random.random() < 0.5
            _, body, _ = self.expect("token form" if form else "token json", client.login(username, form=form), 200)
            token = (body or {}).get("access_token", "")
            bearer = {"Authorization": "Bearer " + token}
            for _ in range(5):
                self.expect("token_status path", client.request("GET", "/token_status/" + token), 200)
                self.expect("token_status bearer", client.request("GET", "/token_status", headers=bearer), 200)
            self.expect("me", client.request("GET", "/me", headers=bearer), 200)
            if self.admin_token:
                _, body, _ = self.expect("introspect", client.request(
                    "POST", "/introspect", {"token": token}, {"Authorization": "Bearer " + self.admin_token},
                    form=True), 200)
                if not (body or {}).get("active"):
                    self.expect("introspect active", (0,), 200)
            if random.random() < 0.3:
                self.expect("revoke", client.request("POST", "/revoke", {"token": token}, bearer, form=True), 200)
                self.expect("token_status revoked", client.request("GET", "/token_status/" + token), 401)
            if random.random() < 0.1:
                return  # on to a new user

    def run(self):
        deadline = time.monotonic() + self.args.seconds

        def worker(_):
            client = Client(self.args.base)
            while time.monotonic() < deadline:
                try:
                    self.life(client, deadline)
                except OSError as ex:
                    with self.lock:
                        self.unexpected["no answer: %s" % ex] += 1
                    time.sleep(1)

        started = time.monotonic()
        run_threads(self.args.clients, worker)
        elapsed = time.monotonic() - started
        total = sum(self.counts.values())
        print("soak: %d requests in %.0f s (%.0f req/s) from %d clients" % (
            total, elapsed, total / elapsed, self.args.clients))
        for what, count in sorted(self.counts.items()):
            print("  %-22s %8d" % (what, count))
        server_errors = sum(v for k, v in self.unexpected.items() if ": 5" in k)
        print("5xx: %d, other unexpected answers: %d" % (server_errors, sum(self.unexpected.values()) - server_errors))
        for what, count in self.unexpected.most_common(10):
            print("  %s x%d" % (what, count))
        return 1 if self.unexpected else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("register")
    p.add_argument("base")
    p.add_argument("out")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--max-seconds", type=float, default=120)
    p = commands.add_parser("login")
    p.add_argument("base")
    p.add_argument("file")
    p.add_argument("--clients", type=int, default=8)
    p = commands.add_parser("race")
    p.add_argument("base")
    p.add_argument("--count", type=int, default=100)
    p = commands.add_parser("tokens")
    p.add_argument("base")
    p.add_argument("count", type=int)
    p.add_argument("--clients", type=int, default=8)
    p = commands.add_parser("soak")
    p.add_argument("base")
    p.add_argument("seconds", type=float)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--admin", help="USER:PASSWORD of an admin, to include POST /introspect")
    args = parser.parse_args()
    return {"register": register, "login": login, "race": race, "tokens": tokens, "soak": lambda a: Soak(a).run()}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
