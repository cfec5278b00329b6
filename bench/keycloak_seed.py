#!/usr/bin/env python3
"""Prepares a fresh Keycloak for bench/keycloak.sh: a realm "bench" whose tokens live an hour, a
confidential client "bench" allowed the password grant and named in its tokens' audience (so it
may introspect them), USERS users, and TOKENS access tokens from password grants (CONCURRENCY at
a time). Standard library only.

    keycloak_seed.py BASE_URL ADMIN_PASSWORD CLIENT_SECRET USERS TOKENS CONCURRENCY OUT_DIR

Writes OUT_DIR/kc-users.txt ("username password" a line) and OUT_DIR/kc-tokens.txt (a token a line)
and prints one line of JSON with what it did. Exits 1 when a step fails.
"""
import json
import sys
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

base, admin_password, client_secret, out_dir = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[7]
users, tokens, concurrency = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])


def call(method, path, body=None, form=None, bearer=None):
    headers = {}
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if bearer:
        headers["Authorization"] = "Bearer " + bearer
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=120) as response:
        text = response.read()
        return json.loads(text) if text else None


def password_grant(realm, form):
    return call("POST", f"/realms/{realm}/protocol/openid-connect/token", form=form)["access_token"]


admin = password_grant("master", {"grant_type": "password", "client_id": "admin-cli",
                                  "username": "admin", "password": admin_password})
call("POST", "/admin/realms", bearer=admin, body={
    "realm": "bench", "enabled": True, "accessTokenLifespan": 3600,
    "ssoSessionIdleTimeout": 36000, "ssoSessionMaxLifespan": 36000})
call("POST", "/admin/realms/bench/clients", bearer=admin, body={
    "clientId": "bench", "secret": client_secret, "publicClient": False, "directAccessGrantsEnabled": True,
    "standardFlowEnabled": False, "serviceAccountsEnabled": False,
    # Keycloak answers introspection only for tokens whose audience includes the asking client.
    "protocolMappers": [{"name": "bench-audience", "protocol": "openid-connect", "protocolMapper": "oidc-audience-mapper",
                         "config": {"included.client.audience": "bench", "access.token.claim": "true",
                                    "introspection.token.claim": "true"}}]})
people = [(f"kc{i}", f"Sun-Orchard-{i}-Quill") for i in range(users)]
for username, password in people:
    call("POST", "/admin/realms/bench/users", bearer=admin, body={
        "username": username, "enabled": True, "email": f"{username}@example.com", "emailVerified": True,
        "firstName": "Bench", "lastName": username,
        "credentials": [{"type": "password", "value": password, "temporary": False}]})


def login(i):
    username, password = people[i % users]
    return password_grant("bench", {"grant_type": "password", "client_id": "bench", "client_secret": client_secret,
                                    "username": username, "password": password})


with ThreadPoolExecutor(concurrency) as pool:
    issued = list(pool.map(login, range(tokens)))
with open(f"{out_dir}/kc-users.txt", "w") as f:
    f.writelines(f"{u} {p}\n" for u, p in people)
with open(f"{out_dir}/kc-tokens.txt", "w") as f:
    f.writelines(t + "\n" for t in issued)
print(json.dumps({"users": users, "tokens": len(issued)}))
