#!/usr/bin/env python3
"""Tables, files and the chart of bench/run.sh (standard library only).

    report.py run META RUNS_JSONL PREFIX       one JDK's run: prints the table and writes
                                              PREFIX.md, PREFIX.json and PREFIX.csv
    report.py summary OUT_DIR RESULT_JSON...   every JDK of one invocation: writes
                                              OUT_DIR/latest.md and OUT_DIR/latest.svg and
                                              prints a side-by-side table when there are several

META holds "key<TAB>value" lines written by run.sh (keys ending in _json hold JSON); RUNS_JSONL
holds one JSON object a measured run: name, endpoint, conns, server_cpu_s and wrk (what
bench/wrk.lua's done() printed).
"""
import csv
import html
import json
import math
import re
import sys
from collections import Counter, defaultdict

MB = 1024.0


def read_meta(path):
    meta = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or "\t" not in line:
                continue
            key, value = line.split("\t", 1)
            if key.endswith("_json"):
                try:
                    value = json.loads(value) if value else None
                except ValueError:
                    value = None
                key = key[:-5]
            meta[key] = value
    return meta


def num(value, default=None):
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def summarise(run):
    w = run["wrk"]
    seconds = w["duration_us"] / 1e6
    errors = w["errors"]
    socket_errors = errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]
    statuses = {k: v for k, v in sorted(w.get("statuses", {}).items())}
    non2xx = sum(v for k, v in statuses.items() if not k.startswith("2")) if statuses else errors["status"]
    return {
        "name": run["name"], "endpoint": run["endpoint"], "conns": run["conns"],
        "requests": w["requests"], "seconds": round(seconds, 2),
        "rps": w["requests"] / seconds if seconds else 0.0,
        "p50_ms": w["latency_us"]["p50"] / 1000.0, "p90_ms": w["latency_us"]["p90"] / 1000.0,
        "p99_ms": w["latency_us"]["p99"] / 1000.0, "max_ms": w["latency_us"]["max"] / 1000.0,
        "non2xx": non2xx, "socket_errors": socket_errors, "errors": non2xx + socket_errors,
        "error_detail": {k: v for k, v in errors.items() if v}, "statuses": statuses,
        "server_cpu": (run["server_cpu_s"] / seconds) if seconds and run.get("server_cpu_s") is not None else None,
    }


def fmt_rps(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def fmt_ms(x):
    return f"{x:.2f}" if x < 10 else f"{x:,.1f}" if x < 1000 else f"{x:,.0f}"


def fmt_errors(r):
    if not r["errors"]:
        return "0"
    parts = []
    if r["statuses"]:
        parts += [f"{k}×{v}" for k, v in r["statuses"].items() if not k.startswith("2")]
    elif r["non2xx"]:
        parts.append(f"≥400×{r['non2xx']}")
    parts += [f"{k} {v}" for k, v in r["error_detail"].items() if k != "status"]
    return f"{r['errors']} ({', '.join(parts)})"


def prometheus_by_status(path):
    """{(method, uri): {status: count}} from the server's http_server_requests counters."""
    found = defaultdict(dict)
    if not path:
        return found
    try:
        text = open(path).read()
    except OSError:
        return found
    for m in re.finditer(r'^http_server_requests_seconds_count\{([^}]*)\}\s+([0-9.eE+]+)', text, re.M):
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        key = (labels.get("method", "?"), labels.get("uri", "?"))
        status = labels.get("status", "?")
        found[key][status] = found[key].get(status, 0) + int(float(m.group(2)))
    return found


def log_problems(path):
    """[{count, line}] from `uniq -c` output."""
    found = []
    try:
        with open(path) as f:
            for line in f:
                m = re.match(r"\s*(\d+) (.*)", line.rstrip("\n"))
                if m:
                    found.append({"count": int(m.group(1)), "line": m.group(2)})
    except (OSError, TypeError):
        pass
    return found


# The table's order: the ceilings, the checks, the BCrypt-bound runs, the starvation check, the flood.
ORDER = ["noop", "liveness", "status_path", "status_bearer", "token_8", "token_32", "register_8",
         "status_under_token", "token_background", "status_under_flood", "token_flood"]


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def merge_rounds(rows):
    """One row per run name: the median of each measure over its rounds, errors summed."""
    by_name = defaultdict(list)
    for r in rows:
        by_name[r["name"]].append(r)
    merged = []
    for same in by_name.values():
        if len(same) == 1:
            merged.append(same[0])
            continue
        row = dict(same[0])
        for key in ("rps", "p50_ms", "p90_ms", "p99_ms", "max_ms"):
            row[key] = median([r[key] for r in same])
        cpus = [r["server_cpu"] for r in same if r["server_cpu"] is not None]
        row["server_cpu"] = median(cpus) if cpus else None
        for key in ("requests", "seconds", "non2xx", "socket_errors", "errors"):
            row[key] = sum(r[key] for r in same)
        row["statuses"] = dict(sum((Counter(r["statuses"]) for r in same), Counter()))
        row["error_detail"] = dict(sum((Counter(r["error_detail"]) for r in same), Counter()))
        row["rounds"] = [{"rps": r["rps"], "p99_ms": r["p99_ms"]} for r in same]
        merged.append(row)
    return sorted(merged, key=lambda r: ORDER.index(r["name"]) if r["name"] in ORDER else len(ORDER))


def build(meta, runs):
    rows = merge_rounds([summarise(r) for r in runs])
    by = {r["name"]: r for r in rows}
    bcrypt = meta.get("bcrypt") or {}
    ceiling = num(bcrypt.get("ceiling_per_s"))
    noop = by.get("noop")
    ratios = {}
    for name, label in (("status_path", "token_status/{token} ÷ no-op ceiling"),
                        ("status_bearer", "token_status Bearer ÷ no-op ceiling")):
        if noop and name in by and noop["rps"]:
            ratios[label] = by[name]["rps"] / noop["rps"]
    for name, label in (("token_32", "/token (32 conns) ÷ BCrypt ceiling"),
                        ("token_8", "/token (8 conns) ÷ BCrypt ceiling"),
                        ("register_8", "/register-user (8 conns) ÷ BCrypt ceiling")):
        if ceiling and name in by:
            ratios[label] = by[name]["rps"] / ceiling
    server = prometheus_by_status(meta.get("prometheus_file"))
    meta["log_problems"] = log_problems(meta.pop("log_problems_file", None))
    server_5xx = {f"{m} {u}": {s: c for s, c in st.items() if s.startswith("5")}
                  for (m, u), st in server.items() if any(s.startswith("5") for s in st)}
    return {
        "meta": {k: v for k, v in meta.items() if k != "prometheus_file"},
        "runs": rows, "ratios": ratios,
        "server_responses": {f"{m} {u}": st for (m, u), st in sorted(server.items())},
        "server_5xx": server_5xx,
    }


def table_lines(result):
    meta = result["meta"]
    lines = ["| endpoint | conns | requests/s | p50 ms | p99 ms | errors (non-2xx, socket) | server CPU (per request) |",
             "| --- | ---: | ---: | ---: | ---: | --- | ---: |"]
    for r in result["runs"]:
        cpu = ""
        if r["server_cpu"] is not None and r["requests"]:
            per_request = r["server_cpu"] * r["seconds"] / r["requests"] * 1e6
            cpu = f"{r['server_cpu'] * 100:.0f}% ({per_request:,.0f} µs/req)"
        lines.append(f"| {r['endpoint']} | {r['conns']} | {fmt_rps(r['rps'])} | {fmt_ms(r['p50_ms'])} | "
                     f"{fmt_ms(r['p99_ms'])} | {fmt_errors(r)} | {cpu} |")
    lines.append("")
    repeated = [r for r in result["runs"] if r.get("rounds")]
    if repeated:
        lines.append(f"- rows with several rounds show each measure's median; every round (requests/s at p99 ms): "
                     + "; ".join(f"{r['endpoint']}: " + ", ".join(f"{fmt_rps(x['rps'])} at {fmt_ms(x['p99_ms'])}"
                                                          for x in r["rounds"]) for r in repeated))
    bcrypt = meta.get("bcrypt") or {}
    if bcrypt:
        lines.append(f"- BCrypt ceiling (cost {bcrypt.get('cost')}): {bcrypt.get('single_thread_per_s')} matches/s on one "
                     f"thread ({bcrypt.get('ms_per_hash')} ms each) × {bcrypt.get('cores')} cores = "
                     f"{bcrypt.get('ceiling_per_s')}/s (all {bcrypt.get('parallel_threads')} threads together measured "
                     f"{bcrypt.get('parallel_per_s')}/s)")
    for label, value in result["ratios"].items():
        lines.append(f"- {label}: **{value:.2f}**")
    starved = next((r for r in result["runs"] if r["name"] == "status_under_token"), None)
    if starved:
        lines.append(f"- token_status p99 while /token is saturated: **{fmt_ms(starved['p99_ms'])} ms**")
    flooded = next((r for r in result["runs"] if r["name"] == "status_under_flood"), None)
    if flooded:
        lines.append(f"- token_status while 300 connections flood /token: **{flooded['rps']:,.0f} req/s**, "
                     f"p99 **{fmt_ms(flooded['p99_ms'])} ms**")
    startup = num(meta.get("startup_ms"))
    if startup is not None:
        spring = f" (Spring Boot's own figure: {meta.get('spring_started')})" if meta.get("spring_started") else ""
        lines.append(f"- start-up to the first 200 from /actuator/health/liveness, median of each form: "
                     f"**{startup:,.0f} ms** extracted with `{meta.get('startup_cache_opt')}` (scripts/fast-start.sh), "
                     f"{num(meta.get('startup_plain_ms'), 0):,.0f} ms as a plain `java -jar`{spring}; "
                     f"ready (/actuator/health/readiness, the fast form) after **{num(meta.get('startup_ready_ms'), 0):,.0f} ms**; "
                     f"every start: {meta.get('startup_runs')}")
    rss = [num(meta.get(k)) for k in ("rss_idle_kb", "rss_after_kb", "rss_peak_kb")]
    if rss[0] is not None:
        lines.append(f"- RSS idle **{rss[0] / MB:,.0f} MB**, after load **{(rss[1] or 0) / MB:,.0f} MB** "
                     f"(peak {(rss[2] or 0) / MB:,.0f} MB), with `{meta.get('java_opts')}`")
    if meta.get("stop_ms"):
        code = meta.get("exit_status")
        note = " (128 + SIGTERM: the JVM's normal exit on SIGTERM)" if code == "143" else ""
        lines.append(f"- stop on SIGTERM: {num(meta.get('stop_ms')):,.0f} ms, exit status {code}{note}")
    seed = meta.get("seed") or {}
    if seed:
        lines.append(f"- seeding: {seed.get('users')} users ({seed.get('register_per_s')}/s, statuses "
                     f"{seed.get('register_statuses')}), {seed.get('tokens')} tokens ({seed.get('login_per_s')}/s, "
                     f"statuses {seed.get('login_statuses')})")
    fives = result["server_5xx"]
    lines.append("- server-side 5xx (actuator http.server.requests): "
                 + ("**none**" if not fives else ", ".join(f"{k}: {v}" for k, v in fives.items())))
    lines.append(f"- server log: {meta.get('log_warn', '?')} WARN, {meta.get('log_error', '?')} ERROR lines"
                 + (":" if meta.get("log_problems") else ""))
    for problem in meta.get("log_problems") or []:
        lines.append(f"  - {problem['count']}× `{problem['line']}`")
    return lines


def header(meta):
    return (f"{meta.get('jdk_label')} ({meta.get('java_version_line')}), {meta.get('cores')} cores "
            f"({meta.get('cpu')}), {meta.get('mem_total')}, Linux {meta.get('kernel')}, {meta.get('wrk_version')}; "
            f"wrk 1 thread on loopback, 10 + {meta.get('warmup_s')} s warm-up, {meta.get('duration_s')} s per run, "
            f"{meta.get('rounds', 1)} rounds of the CPU-bound runs; "
            f"{meta.get('date')}, commit {meta.get('commit')}")


def cmd_run(meta_path, runs_path, prefix):
    meta = read_meta(meta_path)
    with open(runs_path) as f:
        runs = [json.loads(line) for line in f if line.strip()]
    result = build(meta, runs)
    lines = table_lines(result)
    title = f"Token service benchmark: {header(result['meta'])}"
    print()
    print(title)
    print()
    print("\n".join(lines))
    with open(prefix + ".md", "w") as f:
        f.write(f"# {meta.get('jdk_label')} {meta.get('date')}\n\n{header(result['meta'])}\n\n")
        f.write(f"Command: `{meta.get('command')}`\n\n")
        f.write("\n".join(lines) + "\n")
        if result["server_responses"]:
            f.write("\nServer-side responses by endpoint and status (whole run, seeding and warm-up included):\n\n")
            for key, statuses in result["server_responses"].items():
                f.write(f"- `{key}`: {', '.join(f'{s}×{c:,}' for s, c in sorted(statuses.items()))}\n")
    with open(prefix + ".json", "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    with open(prefix + ".csv", "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["jdk", "name", "endpoint", "conns", "requests", "seconds", "requests_per_s", "p50_ms", "p90_ms",
                      "p99_ms", "max_ms", "non2xx", "socket_errors", "server_cpu_cores"])
        for r in result["runs"]:
            out.writerow([meta.get("jdk_label"), r["name"], r["endpoint"], r["conns"], r["requests"], r["seconds"],
                          round(r["rps"], 1), r["p50_ms"], r["p90_ms"], r["p99_ms"], r["max_ms"], r["non2xx"],
                          r["socket_errors"], "" if r["server_cpu"] is None else round(r["server_cpu"], 3)])


COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"]


def log_scale(values):
    positive = [v for v in values if v and v > 0]
    if not positive:
        return 0, 1
    # A decade of room below the smallest value, so its bar stays visible.
    return math.floor(math.log10(min(positive) / 2)), max(math.ceil(math.log10(max(positive))), 1)


def tick_label(exponent, unit):
    value = 10 ** exponent
    if unit == "ms":
        return f"{value:,g}"
    return f"{value / 1000:g}k" if value >= 1000 else f"{value:g}"


def chart(results, path):
    labels = []
    for result in results:
        for r in result["runs"]:
            key = (r["name"], f"{r['endpoint']} · {r['conns']}")
            if key not in labels:
                labels.append(key)
    n = max(len(results), 1)
    bar, gap = 13, 10
    row_h = bar * n + gap
    left, panel_w, mid = 330, 300, 70
    top = 92
    height_rows = row_h * len(labels)
    footer = 48 * len(results) + 10
    width = left + panel_w * 2 + mid + 60
    height = top + height_rows + 40 + footer
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    first = results[0]["meta"] if results else {}
    out.append(f'<text x="12" y="22" font-size="16" font-weight="bold">Token service: requests/s and p99 '
               f'latency per endpoint</text>')
    out.append(f'<text x="12" y="40" fill="#555">{html.escape(str(first.get("cores")))} cores '
               f'({html.escape(str(first.get("cpu")))}), wrk 1 thread, loopback, '
               f'{html.escape(str(first.get("duration_s")))} s per run after 10 + {html.escape(str(first.get("warmup_s")))} '
               f's warm-up; {html.escape(str(first.get("date")))}; log scales</text>')
    for i, result in enumerate(results):
        x = 12 + i * 230
        out.append(f'<rect x="{x}" y="50" width="12" height="12" fill="{COLOURS[i % len(COLOURS)]}"/>'
                   f'<text x="{x + 17}" y="60">{html.escape(result["meta"].get("jdk_label", "?"))} '
                   f'({html.escape(str(result["meta"].get("java_opts", "")))})</text>')
    panels = [("requests/s", "rps", left, ""), ("p99 ms", "p99_ms", left + panel_w + mid, "ms")]
    for title, field, x0, unit in panels:
        values = [r[field] for result in results for r in result["runs"]]
        lo, hi = log_scale(values)
        span = max(hi - lo, 1)

        def xpos(v, x0=x0, lo=lo, span=span):
            if not v or v <= 0:
                return x0
            return x0 + max(0.0, min(1.0, (math.log10(v) - lo) / span)) * panel_w

        out.append(f'<text x="{x0}" y="{top - 6}" font-weight="bold">{title}</text>')
        for e in range(lo, hi + 1):
            gx = xpos(10 ** e)
            out.append(f'<line x1="{gx:.1f}" y1="{top}" x2="{gx:.1f}" y2="{top + height_rows}" stroke="#ddd"/>')
            out.append(f'<text x="{gx:.1f}" y="{top + height_rows + 14}" text-anchor="middle" fill="#555">'
                       f'{tick_label(e, unit)}</text>')
        for row, (name, _) in enumerate(labels):
            for i, result in enumerate(results):
                r = next((r for r in result["runs"] if r["name"] == name), None)
                if r is None:
                    continue
                y = top + row * row_h + i * bar
                w = xpos(r[field]) - x0
                colour = COLOURS[i % len(COLOURS)]
                out.append(f'<rect x="{x0}" y="{y}" width="{max(w, 1):.1f}" height="{bar - 2}" fill="{colour}"/>')
                text = fmt_rps(r[field]) if field == "rps" else fmt_ms(r[field])
                if r["errors"] and field == "rps":
                    text += f" ({r['errors']} err)"
                out.append(f'<text x="{x0 + w + 4:.1f}" y="{y + bar - 3}" font-size="10">{html.escape(text)}</text>')
    for row, (_, label) in enumerate(labels):
        y = top + row * row_h + (bar * n) / 2 + 4
        out.append(f'<text x="{left - 8}" y="{y:.1f}" text-anchor="end">{html.escape(label)}</text>')
    y = top + height_rows + 40
    for i, result in enumerate(results):
        meta = result["meta"]
        ratios = "; ".join(f"{k} {v:.2f}" for k, v in result["ratios"].items())
        rss = [num(meta.get(k)) for k in ("rss_idle_kb", "rss_after_kb")]
        facts = (f"start-up {num(meta.get('startup_ms'), 0):,.0f} ms (plain jar "
                 f"{num(meta.get('startup_plain_ms'), 0):,.0f}); RSS idle {(rss[0] or 0) / MB:,.0f} MB, after "
                 f"load {(rss[1] or 0) / MB:,.0f} MB; BCrypt ceiling {(meta.get('bcrypt') or {}).get('ceiling_per_s')}/s")
        colour = COLOURS[i % len(COLOURS)]
        out.append(f'<text x="12" y="{y}" fill="{colour}" font-weight="bold">'
                   f'{html.escape(meta.get("jdk_label", "?"))}: {html.escape(facts)}</text>')
        parts = ratios.split("; ")
        half = (len(parts) + 1) // 2
        out.append(f'<text x="24" y="{y + 16}" fill="#333">{html.escape("; ".join(parts[:half]))}</text>')
        out.append(f'<text x="24" y="{y + 32}" fill="#333">{html.escape("; ".join(parts[half:]))}</text>')
        y += 48
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def cmd_summary(out_dir, paths):
    results = []
    for p in paths:
        with open(p) as f:
            results.append(json.load(f))
    if not results:
        return
    chart(results, f"{out_dir}/latest.svg")
    with open(f"{out_dir}/latest.md", "w") as f:
        f.write("# Latest benchmark\n\n![requests/s and p99 per endpoint](latest.svg)\n\n")
        for result in results:
            f.write(f"## {result['meta'].get('jdk_label')}\n\n{header(result['meta'])}\n\n")
            f.write(f"Command: `{result['meta'].get('command')}`\n\n")
            f.write("\n".join(table_lines(result)) + "\n\n")
    if len(results) > 1:
        names = []
        for result in results:
            for r in result["runs"]:
                if (r["name"], r["endpoint"], r["conns"]) not in names:
                    names.append((r["name"], r["endpoint"], r["conns"]))
        jdks = [r["meta"].get("jdk_label", "?") for r in results]
        print()
        print("Side by side (requests/s, p99 ms):")
        print()
        print("| endpoint | conns | " + " | ".join(f"{j} req/s | {j} p99" for j in jdks) + " |")
        print("| --- | ---: | " + " | ".join("---: | ---:" for _ in jdks) + " |")
        for name, endpoint, conns in names:
            cells = []
            for result in results:
                r = next((r for r in result["runs"] if r["name"] == name), None)
                cells += [fmt_rps(r["rps"]), fmt_ms(r["p99_ms"])] if r else ["", ""]
            print(f"| {endpoint} | {conns} | " + " | ".join(cells) + " |")
        for label in results[0]["ratios"]:
            print(f"- {label}: " + ", ".join(f"{j} {r['ratios'].get(label, float('nan')):.2f}"
                                             for j, r in zip(jdks, results)))
        print("- start-up ms, with the class cache / plain jar (ready, with the class cache): " + ", ".join(
            f"{j} {num(r['meta'].get('startup_ms'), 0):,.0f} / {num(r['meta'].get('startup_plain_ms'), 0):,.0f}"
            f" ({num(r['meta'].get('startup_ready_ms'), 0):,.0f})"
            for j, r in zip(jdks, results)))
        print("- RSS idle/after MB: " + ", ".join(
            f"{j} {num(r['meta'].get('rss_idle_kb'), 0) / MB:,.0f}/{num(r['meta'].get('rss_after_kb'), 0) / MB:,.0f}"
            for j, r in zip(jdks, results)))
    print()
    print(f"Chart: {out_dir}/latest.svg; tables: {out_dir}/latest.md")


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "run":
        cmd_run(*sys.argv[2:5])
    elif len(sys.argv) >= 3 and sys.argv[1] == "summary":
        cmd_summary(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
