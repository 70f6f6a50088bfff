"""bench.load's own logic, without servers: reading wrk's report, the Lua it writes,
the soak's pacing and the memory verdict. (The benchmark itself is run by
``make bench-load``; its figures are never asserted here.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.load import (
    Run,
    combined,
    corrected_latency_ms,
    duration_ms,
    lua_script,
    memory_verdict,
    nginx_conf,
    operator_directives,
    pacing_delay_ms,
    parse_wrk,
    process_tree,
    rss_kb,
    soak_connections,
    soak_verdict,
    table,
)

# wrk 4.1.0 (Debian) with --latency, copied from a run against a slow page.
SLOW = """Running 5s test @ http://127.0.0.1:56400/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.21s   303.71ms   1.98s    67.24%
    Req/Sec    10.79      5.75    20.00     61.54%
  Latency Distribution
     50%    1.21s
     75%    1.40s
     90%    1.62s
     99%    1.98s
  58 requests in 5.10s, 0.92MB read
  Socket errors: connect 0, read 0, write 0, timeout 33
  Non-2xx or 3xx responses: 4
Requests/sec:     11.37
Transfer/sec:    184.90KB
"""

FAST = """Running 3s test @ http://127.0.0.1:56400/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.28ms    3.12ms  40.11ms   90.12%
    Req/Sec     9.41k     1.20k   12.00k    70.00%
  Latency Distribution
     50%  812.00us
     75%    2.50ms
     90%    5.80ms
     99%   15.20ms
  56575 requests in 3.02s, 170.33MB read
Requests/sec:  18718.80
Transfer/sec:     56.40MB
"""


def test_a_slow_run_counts_timeouts_and_bad_statuses_as_errors() -> None:
    result = parse_wrk(SLOW)
    assert (result.requests, result.seconds, result.rate) == (58, 5.1, 11.37)
    assert (result.p50_ms, result.p99_ms) == (1210.0, 1980.0)
    assert (result.timeouts, result.non_2xx_3xx, result.errors) == (33, 4, 37)


def test_a_clean_run_has_no_errors_and_sub_millisecond_medians() -> None:
    result = parse_wrk(FAST)
    assert result.rate == 18718.80
    assert result.p50_ms == pytest.approx(0.812)
    assert result.p99_ms == 15.2
    assert result.errors == 0


@pytest.mark.parametrize("answers", [0, 5])
def test_a_run_where_everything_timed_out_has_no_latency(answers: int) -> None:
    """wrk prints 0.00us when nothing was answered within --timeout; that is not a fast page."""
    nothing = re.sub(r"(\d+) requests in", f"{answers} requests in", SLOW)
    nothing = re.sub(r"(50|99)%\s+\S+", r"\1%    0.00us", nothing)
    result = parse_wrk(nothing)
    assert (result.requests, result.p50_ms, result.p99_ms) == (answers, None, None)
    assert result.timeouts == 33
    assert (
        table([Run("search", "", result, 0.0)])
        .splitlines()[2]
        .startswith("| search | 11.4 | - | - |")
    )


def test_a_report_without_totals_is_refused() -> None:
    with pytest.raises(ValueError, match="no totals"):
        parse_wrk("unable to connect to 127.0.0.1:56400 Connection refused\n")


@pytest.mark.parametrize(
    ("text", "ms"),
    [("0.00us", 0.0), ("812.00us", 0.812), ("1.50ms", 1.5), ("2.00s", 2000.0), ("1.50m", 90_000)],
)
def test_durations_in_every_unit_wrk_prints(text: str, ms: float) -> None:
    assert duration_ms(text) == pytest.approx(ms)


def test_the_table_gives_each_page_its_share_of_the_static_rate() -> None:
    runs = [Run("static", "wrk ...", parse_wrk(FAST), 1.0), Run("chapter", "", parse_wrk(SLOW))]
    runs[1].ratio = runs[1].result.rate / runs[0].result.rate
    shown = table(runs).splitlines()
    assert shown[2] == "| static | 18,718.8 | 0.8 ms | 15.2 ms | 56,575 | 0 | 100.00% |"
    assert shown[3] == "| chapter | 11.4 | 1.21 s | 1.98 s | 58 | 37 | 0.06% |"


def test_the_script_lists_every_path_once_and_escapes_them() -> None:
    paths = ["/works/1/chapters/2/", '/tags/fandom/A "quoted" \\ name/?ratings=teen']
    script = lua_script(paths)
    assert script.count("/works/1/chapters/2/") == 1
    assert '"/tags/fandom/A \\"quoted\\" \\\\ name/?ratings=teen",' in script
    assert "function request()" in script
    assert "function delay()" not in script  # full speed unless paced


def test_a_paced_script_waits_after_each_answer() -> None:
    assert "function delay()\n  return 320\nend" in lua_script(["/"], delay_ms=319.6)
    assert "return 0" in lua_script(["/"], delay_ms=-5)


def test_an_empty_path_list_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one path"):
        lua_script([])


def test_pacing_reaches_the_rate_once_the_answer_time_is_known() -> None:
    delay = pacing_delay_ms(rate=40, connections=20)
    assert delay == 500
    latency = corrected_latency_ms(rate_reached=36.36, connections=20, delay_ms=delay)
    assert latency == pytest.approx(50, abs=0.1)
    assert pacing_delay_ms(40, 20, latency) == pytest.approx(450, abs=0.1)
    assert corrected_latency_ms(0, 20, 500) == 0  # nothing answered: keep no estimate


def test_slow_soaks_use_few_connections_and_fast_ones_at_most_32() -> None:
    assert [soak_connections(r, 100) for r in (0.5, 3, 48, 100_000)] == [1, 2, 29, 32]
    assert soak_connections(3, 1500) == 6  # slow answers: more connections to keep the rate


def test_memory_that_creeps_up_is_not_flat() -> None:
    assert memory_verdict([300.0] * 50 + [312.0] * 50).flat
    creeping = memory_verdict([300.0 + n for n in range(100)])
    assert not creeping.flat
    assert (creeping.max_mb, round(creeping.growth, 2)) == (399.0, 0.3)
    assert not memory_verdict([]).flat  # no samples prove nothing


def test_the_process_tree_and_its_memory_come_from_proc() -> None:
    child = subprocess.Popen(["sleep", "30"])
    try:
        tree = process_tree(os.getpid())
        assert tree[0] == os.getpid()
        assert child.pid in tree
        assert rss_kb(os.getpid()) > 1000
    finally:
        child.kill()
        child.wait()
    assert rss_kb(child.pid) == 0  # gone


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_runs_the_script_and_visits_every_path(tmp_path: Path) -> None:
    """The Lua really drives wrk: a tiny local server records the paths it was asked for."""
    seen: set[str] = set()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            seen.add(self.path)
            self.send_response(404 if self.path == "/missing/" else 200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        paths = [f"/works/{n}/" for n in range(20)] + ["/missing/"]
        script = tmp_path / "paths.lua"
        script.write_text(lua_script(paths))
        port = server.server_address[1]
        done = subprocess.run(
            [
                "wrk",
                "-t2",
                "-c2",
                "-d1s",
                "--latency",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}/",
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert seen == set(paths)
    result = parse_wrk(done.stdout)
    assert result.requests > len(paths)
    assert 0 < result.non_2xx_3xx < result.requests


def nginx_accepts(conf: str, state: Path) -> None:
    """``nginx -t`` on the configuration, when nginx is installed (the benchmark installs it)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        return
    (state / "nginx-temp").mkdir(exist_ok=True)
    (state / "nginx.conf").write_text(conf)
    checked = subprocess.run(
        [nginx, "-t", "-p", str(state), "-c", str(state / "nginx.conf"),
         "-e", str(state / "error.log")],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr


def test_nginx_is_told_to_keep_everything_in_the_state_directory(tmp_path: Path) -> None:
    conf = nginx_conf(tmp_path, listen=56400, upstream=56402, static_dir=tmp_path / "static")
    assert "listen 127.0.0.1:56400;" in conf
    assert "server 127.0.0.1:56402;" in conf
    assert f"pid {tmp_path}/nginx.pid;" in conf
    assert "/var/" not in conf
    assert "/etc/" not in conf
    nginx_accepts(conf, tmp_path)


def test_the_operators_directives_go_where_the_docs_say(tmp_path: Path) -> None:
    """A page cache's nginx part (maps, a location trying files, then the app) is measured too."""
    maps = 'map "$cookie_sessionid$args" $page { "" /pages$uri/index.html; default /no-page; }'
    files = """location ~ ^/works/[0-9]+/$ {
  root /var/lib/fanfold;
  try_files $page @fanfold;
}"""
    conf = nginx_conf(
        tmp_path,
        listen=56400,
        upstream=56402,
        static_dir=tmp_path / "static",
        http_extra=operator_directives(maps, str(tmp_path)),
        server_extra=operator_directives(files, str(tmp_path)),
    )
    assert conf.index("map ") < conf.index("server {")
    assert (
        conf.index("server {") < conf.index(f"root {tmp_path};") < conf.index("location @fanfold")
    )
    nginx_accepts(conf, tmp_path)


def test_the_worked_examples_in_bench_load_hold() -> None:
    """tests/test_doctests.py reads src/ only; bench.load's examples are checked here."""
    import doctest

    import bench.load

    assert doctest.testmod(bench.load).failed == 0


def test_rounds_report_the_median_rate_and_every_error() -> None:
    slow, fast = parse_wrk(SLOW), parse_wrk(FAST)
    result = combined([slow, fast, slow])
    assert result.rate == slow.rate
    assert result.p99_ms == slow.p99_ms
    assert result.requests == 2 * slow.requests + fast.requests
    assert result.errors == 2 * slow.errors


def test_a_soak_fails_on_one_error_or_on_growing_memory() -> None:
    clean = parse_wrk(FAST)
    assert soak_verdict([clean, clean], [300.0] * 20)["passed"]
    assert not soak_verdict([clean, parse_wrk(SLOW)], [300.0] * 20)["passed"]
    growing = soak_verdict([clean], [300.0 + 5 * n for n in range(20)])
    assert not growing["passed"]
    assert growing["errors"] == 0
