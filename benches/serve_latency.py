#!/usr/bin/env python3
"""Edit-to-reload time of `casefile serve` on a site (docs/performance.md).

usage: benches/serve_latency.py SITE [--runs N] [--edit body|title|date]
                                     [--binary target/dist/casefile]

Copies SITE to a temporary folder, starts `casefile serve` on it, listens to the
live-reload stream like a browser does, then N times edits one incident and measures
the time from the write to (1) the reload event and (2) the edited page served with
the change. `--edit body` (default) appends a line to the body, which only that page
shows; `--edit title` changes the title in the front matter, which lists, group and
weapon pages show too; `--edit date` also moves the incident (date and date_end)
seven years away in the chronology, which shifts it across the list pages. Prints each
run and the medians. The copy is deleted. With TIMINGS=1 in the environment, casefile
runs with `--timings` and its stage times are printed too.
"""

import argparse
import http.client
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--binary", default="target/dist/casefile")
    ap.add_argument("--edit", choices=["body", "title", "date"], default="body")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="casefile-serve-")
    site = os.path.join(tmp, "site")
    shutil.copytree(args.site, site, ignore=shutil.ignore_patterns("public", ".public.*"))
    incidents = sorted(
        os.path.join(d, f)
        for d, _, fs in os.walk(os.path.join(site, "content", "incidents"))
        for f in fs
        if f.endswith(".md")
    )
    port = str(random.randint(20000, 40000))
    proc = subprocess.Popen(
        [args.binary, "serve", "--root", site, "--port", port] + (["--timings"] if os.environ.get("TIMINGS") else []),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        log = []
        ready = threading.Event()

        def read_log():
            for line in proc.stderr:
                log.append((time.perf_counter(), line.rstrip()))
                if line.startswith("serving "):
                    ready.set()

        threading.Thread(target=read_log, daemon=True).start()
        if not ready.wait(120):
            sys.exit("serve did not start: " + "\n".join(l for _, l in log))
        first = [l for _, l in log if l.startswith("built")]
        print(f"first build: {first[0] if first else '?'}")
        events = []
        got = threading.Condition()

        def listen():
            c = http.client.HTTPConnection("127.0.0.1", int(port))
            c.request("GET", "/__casefile/events")
            r = c.getresponse()
            while True:
                line = r.fp.readline()
                if not line:
                    return
                if line.startswith(b"data:"):
                    with got:
                        events.append((time.perf_counter(), int(line[5:].strip())))
                        got.notify_all()

        threading.Thread(target=listen, daemon=True).start()
        with got:
            got.wait_for(lambda: events, 10)
        results = []
        for run in range(args.runs):
            path = incidents[(run * 7919) % len(incidents)]
            slug = os.path.splitext(os.path.basename(path))[0]
            marker = f"latency-marker-{run}-{time.time_ns()}"
            time.sleep(1.0)
            with got:
                seen = len(events)
            t0 = time.perf_counter()
            if args.edit == "body":
                with open(path, "a", encoding="utf-8") as f:
                    f.write(f"\n{marker}\n")
            else:
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                text = text.replace("\ntitle: ", f"\ntitle: {marker} ", 1)
                if args.edit == "date":
                    # Seven years away within 2012-2025 (the years of the generated
                    # corpora), whatever the form of the date (day, month or year);
                    # date_end, if any, moves by as much, so it stays after date.
                    year = int(re.search(r"\ndate: (\d{4})", text).group(1))
                    years = 2012 + (year - 2012 + 7) % 14 - year

                    def move(text, key):
                        def sub(m):
                            rest = "-02-28" if m.group(2) == "-02-29" else m.group(2)
                            return f"\n{key}: {int(m.group(1)) + years}{rest}"

                        return re.sub(rf"\n{key}: (\d{{4}})((?:-\d\d){{0,2}})", sub, text, count=1)

                    text = move(move(text, "date"), "date_end")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            with got:
                if not got.wait_for(lambda: len(events) > seen, 30):
                    sys.exit("no reload event")
                t_event = events[seen][0]
            c = http.client.HTTPConnection("127.0.0.1", int(port))
            # The slug may differ from the file name; look the page up from the log-free
            # route: the incident page of the same stem, else the home page.
            c.request("GET", f"/incidents/{slug}/")
            body = c.getresponse().read().decode("utf-8", "replace")
            t_page = time.perf_counter()
            ok = marker in body
            results.append((t_event - t0, t_page - t0, ok))
            print(
                f"run {run + 1}: reload event {1000 * (t_event - t0):.0f} ms, "
                f"page with the edit {1000 * (t_page - t0):.0f} ms, found={ok}"
            )
        ev = statistics.median(r[0] for r in results)
        pg = statistics.median(r[1] for r in results)
        print(f"median over {len(results)} edits: reload event {1000 * ev:.0f} ms, page {1000 * pg:.0f} ms")
        for _, line in log:
            if "rebuilt in" in line or (os.environ.get("TIMINGS") and line.startswith(" ")):
                print("casefile:", line)
        if not all(r[2] for r in results):
            sys.exit("an edit was not visible on its page")
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
