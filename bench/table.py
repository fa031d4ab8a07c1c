"""Formats what bench/compare.sh measured as one Markdown table with the targets of issue 8.

usage: python table.py JSON_DIR RUNS BUILD_RUNS
"""

import json
import os
import re
import statistics
import sys

D = sys.argv[1]
RUNS = sys.argv[2]
BUILD_RUNS = sys.argv[3]


def read(name, default=None):
    path = os.path.join(D, name)
    if not os.path.exists(path):
        return default
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def hyperfine(name):
    text = read(name)
    if text is None:
        return {}
    return {r["command"]: r for r in json.loads(text)["results"]}


def ms(r):
    return f'{r["min"] * 1e3:.0f} / {r["median"] * 1e3:.0f} / {r["max"] * 1e3:.0f} ms'


def seconds(name):
    """The median of the times in `name` (nanoseconds, one per line), in seconds."""
    text = read(name)
    return statistics.median(int(t) for t in text.split()) / 1e9 if text else None


def mark(ok):
    return "met" if ok else "**not met**"


gen = hyperfine("generate.json")
gh = hyperfine("github.json")
a, floor, oag, prog = (gen.get(k) for k in ("apigen", "floor", "openapi-generator", "progenitor"))
crates = {
    "apigen": "apigen",
    "oag": "openapi-generator",
    "prog": "progenitor (unified errors)",
}
print(f"Circle v2.15.0 (`circle-apis.yaml`); generation min / median / max of {RUNS} runs "
      f"(hyperfine, whole process); each crate checked and built (median of {BUILD_RUNS}, without "
      "incremental caches; the crates take turns) in one shared target directory, its dependencies "
      "built; peak memory the median of 5 runs.\n")
print("| | apigen | openapi-generator | progenitor (errors unified first) |")
print("|---|---|---|---|")
print(f"| generation | {ms(a)} | {ms(oag)} | {ms(prog) if prog else 'panics'} |")
print(f"| parse-only floor (`serde_yaml` → `openapiv3`) | {ms(floor)} | | |")
fmt_floor = gen.get("format-floor")
if fmt_floor:
    print(f"| format-only floor (`syn` + `prettyplease` on the Rust apigen emits, doc comments "
          f"aside as apigen sets them, one thread) | "
          f"{ms(fmt_floor)} | | |")


def row(label, fmt):
    cells = []
    for crate in ("apigen", "oag", "prog"):
        cells.append(fmt(crate))
    print(f"| {label} | " + " | ".join(cells) + " |")


row("generated lines of Rust", lambda c: read(f"{c}-lines", "-"))


def timed(kind):
    def fmt(crate):
        if read(f"{crate}-check") == "does not build":
            return "does not build"
        s = seconds(f"{crate}-{kind}.times")
        return f"{s:.2f} s" if s is not None else "-"
    return fmt


row("`cargo check` of the crate (deps built)", timed("check"))
row("debug build of the crate (deps built)", timed("build"))


def instructions(crate):
    n = read(f"{crate}-check.instructions")
    return f"{int(n.replace(',', '')) / 1e9:.2f} G" if n else "-"


row("instructions rustc executes for that check (callgrind)", instructions)
row("clippy warnings", lambda c: read(f"{c}-clippy", "-"))
row("dependencies (normal + build)", lambda c: read(f"{c}-deps", "-"))
row("OpenSSL", lambda c: read(f"{c}-openssl", "-"))

print("\n| target | measured | |")
print("|---|---|---|")
r_oag = oag["median"] / a["median"]
print(f"| generation ≥ 50× faster than openapi-generator | {r_oag:.1f}× | {mark(r_oag >= 50)} |")
r_floor = a["median"] / floor["median"]
print(f"| generation ≤ 2× the parse-only floor | {r_floor:.1f}× | {mark(r_floor <= 2)} |")
if fmt_floor:
    # Parsing, then laying out the same output split perfectly over two cores, and nothing else:
    # no lowering (which must come between, on one core) and no building of token streams.
    bound = (floor["median"] + fmt_floor["median"] / 2) / floor["median"]
    print(f"| (parse floor + format floor ÷ 2 cores: reading and laying out alone, without lowering "
          f"in between) | {bound:.1f}× | |")
g = gh.get("apigen")
rss = int(statistics.median(int(kb) for kb in read("github-rss-kb", "0").split())) * 1024
size = int(read("github-bytes", "1"))
print(f"| GitHub spec ({size / 1e6:.1f} MB) under 1 s | {g['median'] * 1e3:.0f} ms "
      f"(floor {gh['floor']['median'] * 1e3:.0f} ms) | {mark(g['median'] < 1)} |")
print(f"| peak memory under 10× the file | {rss / 1e6:.0f} MB = {rss / size:.1f}× | "
      f"{mark(rss < 10 * size)} |")
floor_rss = read("github-floor-rss-kb")
if floor_rss:
    floor_rss = int(statistics.median(int(kb) for kb in floor_rss.split())) * 1024
    out = int(read("github-out-bytes", "0"))
    print(f"| (parse-only floor {floor_rss / 1e6:.0f} MB = {floor_rss / size:.1f}×; the generated "
          f"files {out / 1e6:.1f} MB = {out / size:.1f}×) | | |")
for kind, label in (("check", "`cargo check`"), ("build", "debug build")):
    ours, theirs = seconds(f"apigen-{kind}.times"), seconds(f"oag-{kind}.times")
    if ours and theirs:
        r = ours / theirs
        print(f"| {label} ≤ 0.5× openapi-generator's | {r:.2f}× | {mark(r <= 0.5)} |")
        if kind == "check":
            ours = read("apigen-check.instructions")
            theirs = read("oag-check.instructions")
            if ours and theirs:
                r = int(ours.replace(",", "")) / int(theirs.replace(",", ""))
                print(f"| (the same in instructions, which do not vary from run to run) | "
                      f"{r:.2f}× | {mark(r <= 0.5)} |")
deps = int(read("apigen-deps", "999"))
print(f"| ≤ 85 dependencies, no OpenSSL | {deps}, OpenSSL: {read('apigen-openssl')} | "
      f"{mark(deps <= 85 and read('apigen-openssl') == 'no')} |")
overhead = read("overhead.txt", "")
m = re.search(r"ratio (\d+\.\d+)", overhead)
if m:
    ratio = float(m.group(1))
    print(f"| per-request overhead ≤ 1.05× hand-written reqwest | {ratio:.3f}× | "
          f"{mark(ratio <= 1.05)} |")
