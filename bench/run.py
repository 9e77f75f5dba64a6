"""`make bench`: the main pages of each role under load, at region and national scale.

For each scale: a fresh PostgreSQL database filled by `generate_scale_data`, gunicorn with two
workers on 127.0.0.1, then wrk against each page with a logged-in session. Each page's latency
is reported as a ratio to a trivial logged-in page (the floor of the stack: session,
middleware, base template) measured in the same run, and national against region. Results go
to bench/results.md with a description of the machine.

Options: --scales region,national  --duration 10  --reuse (keep existing bench databases)
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PORT = 8300
PG = "postgres://postgres@127.0.0.1:5432"
TARGET_FLOOR_RATIO = 6.0
TARGET_SCALE_RATIO = 1.5


def environment(database: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{database}",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }


def manage(env, *args, capture=False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout if capture else ""


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True)


def database_has_data(database: str) -> bool:
    check = subprocess.run(
        ["psql", f"{PG}/{database}", "-tAc", "SELECT count(*) FROM accounts_user"],
        capture_output=True,
        text=True,
    )
    return check.returncode == 0 and int(check.stdout.strip() or 0) > 0


def prepare(scale: str, reuse: bool) -> tuple[dict, float | None]:
    database = f"alisvest_bench_{scale}"
    env = environment(database)
    if reuse and database_has_data(database):
        print(f"[{scale}] reusing {database}", flush=True)
        return env, None
    psql(f"DROP DATABASE IF EXISTS {database}")
    psql(f"CREATE DATABASE {database}")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "import_municipalities")
    print(f"[{scale}] generating data …", flush=True)
    started = time.perf_counter()
    manage(env, "generate_scale_data", "--scale", scale)
    generated = time.perf_counter() - started
    # Fresh statistics for the planner, as autovacuum would have by now in production.
    subprocess.run(["psql", f"{PG}/{database}", "-qc", "VACUUM ANALYZE"], check=True)
    return env, generated


def start_gunicorn(env) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "alisvest.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    stop(server)
    raise SystemExit("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def fetch_status(path: str, session: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": f"sessionid={session}"}
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(request, timeout=60).status
    except urllib.error.HTTPError as exc:
        return exc.code


def measure(path: str, session: str, duration: int) -> dict:
    status = fetch_status(path, session)
    if status != 200:
        raise SystemExit(f"{path} answered {status}, not 200: the bench needs working pages")
    for _ in range(3):  # warm both workers' caches and connections
        fetch_status(path, session)
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c4",
            f"-d{duration}s",
            "--timeout",
            "30s",
            "-s",
            str(ROOT / "bench" / "latency.lua"),
            "-H",
            f"Cookie: sessionid={session}",
            f"http://127.0.0.1:{PORT}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["duration_s"]
    if result["non2xx"] or result["socket_errors"]:
        raise SystemExit(f"{path}: {result['non2xx']} non-2xx, {result['socket_errors']} errors")
    return result


def run_scale(scale: str, duration: int, reuse: bool) -> dict:
    env, generated = prepare(scale, reuse)
    plan = json.loads(manage(env, "bench_prepare", capture=True))
    manage(env, "collectstatic", "--noinput", "-v0")
    server = start_gunicorn(env)
    try:
        results = {}
        floors = []
        for page in plan["pages"]:
            session = plan["sessions"][page["persona"]]
            print(f"[{scale}] {page['name']:<40} {page['path']}", flush=True)
            results[page["name"]] = measure(page["path"], session, duration)
            if page["name"].startswith("floor"):
                floors.append(results[page["name"]])
        # The floor again at the end, so drift during the run shows and is averaged out.
        first = plan["pages"][0]
        floors.append(measure(first["path"], plan["sessions"][first["persona"]], duration))
    finally:
        stop(server)
    print(f"[{scale}] annual report PDF", flush=True)
    script = (ROOT / "bench" / "annual_report.py").read_text()
    report = json.loads(manage(env, "shell", "-c", script, capture=True).strip().splitlines()[-1])
    floor = {
        "p50": statistics.mean(f["p50"] for f in floors),
        "p95": statistics.mean(f["p95"] for f in floors),
    }
    return {"pages": results, "floor": floor, "generated_s": generated, "report": report}


def machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split(":", 1)[1].strip()
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    postgres = subprocess.run(
        ["psql", f"{PG}/postgres", "-tAc", "SHOW server_version"], capture_output=True, text=True
    ).stdout.strip()
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    return [
        f"- Date: {datetime.datetime.now():%Y-%m-%d %H:%M}",
        f"- Machine: {platform.platform()}, {os.cpu_count()} cores ({cpu}), {memory} memory",
        f"- Python {platform.python_version()}, PostgreSQL {postgres}, {wrk.strip()}",
        "- gunicorn with 2 sync workers on 127.0.0.1; wrk with 2 threads and 4 connections",
    ]


def write_results(runs: dict, duration: int) -> str:
    lines = ["# Benchmark results", "", *machine(), f"- {duration} s per page", ""]
    lines += [
        "Ratios are p95 latency divided by the floor's p95 (a trivial logged-in page, measured",
        "at the start and end of the same run). Targets: every page within "
        f"{TARGET_FLOOR_RATIO:g}× the floor; national within {TARGET_SCALE_RATIO:g}× region.",
        "",
    ]
    for scale, run in runs.items():
        if run["generated_s"] is not None:
            lines.append(f"{scale} data generated in {run['generated_s']:.0f} s.")
            lines.append("")
        lines += [
            f"## {scale} scale",
            "",
            "| page | p50 ms | p95 ms | req/s | p95 ÷ floor |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for name, r in run["pages"].items():
            ratio = r["p95"] / run["floor"]["p95"]
            flag = "" if ratio <= TARGET_FLOOR_RATIO or name.startswith("floor") else " ✗"
            lines.append(
                f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} | {r['rps']:.0f} | "
                f"{ratio:.1f}×{flag} |"
            )
        lines.append("")
    lines += [
        "## The annual report PDF",
        "",
        "Last year's report for the region, as `manage.py annual_report` makes it: the figures "
        "from the database, the HTML, then WeasyPrint. The ratio compares the whole with "
        "WeasyPrint rendering the same HTML alone.",
        "",
        "| scale | pages | figures s | HTML s | PDF s | total s | WeasyPrint alone s | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for scale, run in runs.items():
        r = run["report"]
        lines.append(
            f"| {scale} | {r['pages']} | {r['figures_s']:.2f} | {r['html_s']:.2f} | "
            f"{r['pdf_s']:.2f} | {r['total_s']:.2f} | {r['weasyprint_s']:.2f} | "
            f"{r['total_s'] / r['weasyprint_s']:.2f}× |"
        )
    lines.append("")
    if {"region", "national"} <= runs.keys():
        lines += [
            "## national ÷ region (p95)",
            "",
            "| page | ratio |",
            "| --- | ---: |",
        ]
        for name, r in runs["national"]["pages"].items():
            ratio = r["p95"] / runs["region"]["pages"][name]["p95"]
            flag = "" if ratio <= TARGET_SCALE_RATIO else " ✗"
            lines.append(f"| {name} | {ratio:.2f}×{flag} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="region,national")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    runs = {s: run_scale(s, args.duration, args.reuse) for s in args.scales.split(",")}
    report = write_results(runs, args.duration)
    (ROOT / "bench" / "results.md").write_text(report)
    print(report)


if __name__ == "__main__":
    sys.exit(main())
