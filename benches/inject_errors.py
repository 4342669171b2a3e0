#!/usr/bin/env python3
"""Inject 50 errors of 10 kinds into a copy of a corpus made by benches/gen_corpus.py, run
`casefile check --format json`, and verify that every injected error is reported at
its file and line, in sorted order, in one run. Prints a summary and the check time.

usage: benches/inject_errors.py CORPUS_DIR [CASEFILE_BINARY]
"""
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

corpus = Path(sys.argv[1])
binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/casefile"
work = Path(tempfile.mkdtemp()) / "site"
shutil.copytree(corpus, work)
incidents = sorted((work / "content" / "incidents").rglob("*.md"))
# Only incidents that no file links to (`@/incidents/...`) get an error: an incident
# with an error is left out of the checked site, so links to it would be reported as
# well, and this test counts the injected errors alone.
total = len(incidents)
linked = set()
for p in incidents:
    linked.update(re.findall(r"\(@/(incidents/[^)#]*)", p.read_text()))
incidents = [p for p in incidents if p.relative_to(work / "content").as_posix() not in linked]

def insert_after_title(path, line_text):
    """Put `line_text` right after the `title:` line; return its 1-based line number."""
    lines = path.read_text().split("\n")
    at = next(i for i, l in enumerate(lines) if l.startswith("title:")) + 1
    lines.insert(at, line_text)
    path.write_text("\n".join(lines))
    return at + 1

def replace_line(path, prefix, new):
    lines = path.read_text().split("\n")
    at = next(i for i, l in enumerate(lines) if l.startswith(prefix))
    lines[at] = new
    path.write_text("\n".join(lines))
    return at + 1

def set_key(path, key, value):
    """Replace the top-level `key:` line, or add one after the title; return its line
    (adding a second `key:` would be reported as a duplicate key as well)."""
    if any(l.startswith(f"{key}:") for l in path.read_text().split("\n")):
        return replace_line(path, f"{key}:", f"{key}: {value}")
    return insert_after_title(path, f"{key}: {value}")

def append_body(path, text):
    body = path.read_text()
    if not body.endswith("\n"):
        body += "\n"
    line = body.count("\n") + 1
    path.write_text(body + text + "\n")
    return line

def add_item(path, key, item):
    """Add a list item under `key` (block or flow style); return its line."""
    lines = path.read_text().split("\n")
    for i, l in enumerate(lines):
        if l == f"{key}:":
            lines.insert(i + 1, f"  - {item}")
            path.write_text("\n".join(lines))
            return i + 2
        if l.startswith(f"{key}:"):
            lines[i] = f"{key}: [{item}]"
            path.write_text("\n".join(lines))
            return i + 1
    return insert_after_title(path, f"{key}: [{item}]")

# Each kind: (code name, injector returning the line). Five files per kind.
kinds = [
    ("unknown-key", lambda p: insert_after_title(p, "fatalitis: 3")),
    ("unknown-group", lambda p: add_item(p, "groups", "no-such-group-xyz")),
    ("invalid-date", lambda p: replace_line(p, "date:", "date: 2024-02-30")),
    ("yaml-type", lambda p: set_key(p, "draft", "maybe")),
    ("invalid-value", lambda p: set_key(p, "confidence", "certain")),
    ("invalid-coordinate", lambda p: insert_after_title(p, "location: {lat: 91}") if "location:" not in p.read_text() else replace_line(p, "location:", "location: {lat: 91}")),
    ("invalid-url", lambda p: add_item(p, "sources", "\"javascript:alert(1)\"")),
    ("broken-content-link", lambda p: append_body(p, "See [gone](@/groups/no-such-file.md).")),
    ("broken-link", lambda p: append_body(p, "See [gone](/no/such/page/).")),
    ("duplicate-key", lambda p: insert_after_title(p, "title: Again")),
]

expected = []
pick = iter(incidents[::max(1, len(incidents) // 60)])
for name, inject in kinds:
    for _ in range(5):
        p = next(pick)
        # A file whose front matter has a block-style key we replace would break the
        # YAML in other ways; benches/gen_corpus.py writes title, date, confidence and
        # location on one line each, so single-line edits hold.
        line = inject(p)
        expected.append((str(p.relative_to(work)), line, name))

start = time.time()
run = subprocess.run([binary, "check", "--root", str(work), "--format", "json"], capture_output=True, text=True)
elapsed = time.time() - start
reported = [json.loads(l) for l in run.stdout.splitlines() if l.strip()]
got = {(d["file"], d["line"], d["name"]) for d in reported}
missing = [e for e in expected if e not in got]
keys = [(d["file"], d["line"], d["col"]) for d in reported]
print(f"injected {len(expected)} errors in {len(expected)} files of {total} incidents")
print(f"casefile check: exit {run.returncode}, {len(reported)} diagnostics, {elapsed:.2f} s")
print(f"sorted by file, line, col: {keys == sorted(keys)}")
print(f"missing: {len(missing)}")
for m in missing:
    print("  missing", m)
extra = [d for d in reported if (d["file"], d["line"], d["name"]) not in set(expected)]
for d in extra[:10]:
    print("  also reported", d["file"], d["line"], d["name"], d["message"])
shutil.rmtree(work.parent)
sys.exit(0 if not missing and run.returncode == 1 else 1)
