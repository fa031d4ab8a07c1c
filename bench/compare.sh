#!/usr/bin/env bash
# apigen side by side with openapi-generator (`rust`) and progenitor, in one run on this machine.
#
#   bash bench/compare.sh            # RUNS=5 by default; RUNS=10 bash bench/compare.sh for more
#                                    # (BUILD_RUNS=5: checks and builds of each crate)
#
# Installs the peers into target/bench-tools (PyPI `openapi-generator-cli` in a venv, crates.io
# `cargo-progenitor`; hyperfine and a JRE from Debian when missing), generates Circle's v2.15.0
# spec with each (progenitor on a copy whose error responses are unified to one schema, which it
# needs; see bench/unify_errors.py), builds the three crates in one shared target directory, and
# prints one Markdown table (also written to target/bench-compare/compare.md).
#
# Specs are read in place from the shared folder (APIGEN_SHARED_DIR, default ../shared).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${APIGEN_SHARED_DIR:-$ROOT/../shared}
SPEC=$SHARED/specs/circle/v2.15.0/circle-apis.yaml
GITHUB=$SHARED/specs/public/progenitor-github-api.json
TOOLS=$ROOT/target/bench-tools
WORK=$ROOT/target/bench-compare
RUNS=${RUNS:-5}
BUILD_RUNS=${BUILD_RUNS:-5} # each crate's check and build
OAG_VERSION=7.26.0
PROGENITOR_VERSION=0.15.1

log() { printf '\n== %s\n' "$*" >&2; }

# --- Tools --------------------------------------------------------------------------------
log "installing tools into $TOOLS"
mkdir -p "$TOOLS"
need_apt=()
command -v hyperfine >/dev/null || need_apt+=(hyperfine)
command -v valgrind >/dev/null || need_apt+=(valgrind)
command -v java >/dev/null || need_apt+=(default-jre-headless)
[ -x /usr/bin/time ] || need_apt+=(time)
[ -e /usr/include/openssl/ssl.h ] || need_apt+=(libssl-dev pkg-config) # openapi-generator's crate uses native-tls
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -q && apt-get install -y -q "${need_apt[@]}"
fi
if [ ! -x "$TOOLS/venv/bin/openapi-generator-cli" ]; then
    python3 -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install -q "openapi-generator-cli==$OAG_VERSION" pyyaml
fi
"$TOOLS/venv/bin/python" -c 'import yaml' 2>/dev/null || "$TOOLS/venv/bin/pip" install -q pyyaml
if [ ! -x "$TOOLS/cargo/bin/cargo-progenitor" ]; then
    cargo install --locked "cargo-progenitor@$PROGENITOR_VERSION" --root "$TOOLS/cargo"
fi
cargo build --release -q -p apigen --bin apigen --example parse_only --example format_only
APIGEN=$ROOT/target/release/apigen
FLOOR=$ROOT/target/release/examples/parse_only
FORMAT=$ROOT/target/release/examples/format_only
OAG=$TOOLS/venv/bin/openapi-generator-cli
PROG=$TOOLS/cargo/bin/cargo-progenitor

rm -rf "$WORK"
mkdir -p "$WORK/ws" "$WORK/json"
"$TOOLS/venv/bin/python" bench/unify_errors.py "$SPEC" "$WORK/unified.json"

# --- Generation ---------------------------------------------------------------------------
log "generation of $SPEC, $RUNS runs each"
# The format-only floor lays out the Rust apigen emits (not the runtime, copied verbatim) again,
# its doc comments aside as apigen sets them (examples/format_only.rs).
"$APIGEN" generate "$SPEC" --out "$WORK/ws/apigen" --name circle-apigen 2>/dev/null
LAID_OUT=$(cd "$WORK/ws/apigen/src" && ls -- *.rs | grep -vx runtime.rs | sed "s|^|$WORK/ws/apigen/src/|" | tr '\n' ' ')
# The builds above leave megabytes to write back; timing starts once they are on disk, and
# each command runs three times first (here the first run after a build took twice as long).
sync
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$WORK/json/generate.json" \
    -n apigen "$APIGEN generate $SPEC --out $WORK/ws/apigen --name circle-apigen" \
    -n floor "$FLOOR $SPEC" \
    -n format-floor "$FORMAT $LAID_OUT" \
    -n openapi-generator "$OAG generate -i $SPEC -g rust -o $WORK/ws/oag --package-name circle_oag --skip-validate-spec" \
    -n progenitor "$PROG progenitor -i $WORK/unified.json -o $WORK/ws/prog -n circle-prog -v 0.1.0" \
    >&2

log "generation of the GitHub spec ($(du -h "$GITHUB" | cut -f1))"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$WORK/json/github.json" \
    -n apigen "$APIGEN generate $GITHUB --out $WORK/github --name github-apigen" \
    -n floor "$FLOOR $GITHUB" >&2
for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%M' -o "$WORK/json/github-rss-kb.run" \
        "$APIGEN" generate "$GITHUB" --out "$WORK/github" --name github-apigen 2>/dev/null
    cat "$WORK/json/github-rss-kb.run" >>"$WORK/json/github-rss-kb"
    /usr/bin/time -f '%M' -o "$WORK/json/github-rss-kb.run" "$FLOOR" "$GITHUB" >/dev/null
    cat "$WORK/json/github-rss-kb.run" >>"$WORK/json/github-floor-rss-kb"
done
find "$WORK/github" -type f -print0 | xargs -0 cat | wc -c >"$WORK/json/github-out-bytes"
stat -c %s "$GITHUB" >"$WORK/json/github-bytes"

# --- Building the three crates in one target directory ------------------------------------
cat >"$WORK/ws/Cargo.toml" <<'TOML'
[workspace]
resolver = "2"
members = ["apigen", "oag", "prog"]
TOML
cp "$ROOT/Cargo.lock" "$WORK/ws/Cargo.lock"
export CARGO_TARGET_DIR=$WORK/target
# Whole re-checks and rebuilds of each crate, as CI and a fresh checkout see them (with
# incremental caches, a touched file is mostly revalidated, not compiled).
export CARGO_INCREMENTAL=0
cd "$WORK/ws"
declare -A PKG=([apigen]=circle-apigen [oag]=circle_oag [prog]=circle-prog)
for crate in apigen oag prog; do
    pkg=${PKG[$crate]}
    log "$pkg: dependencies, then its own check and debug build"
    lines=$(find "$crate/src" -name '*.rs' -print0 | xargs -0 cat | wc -l)
    echo "$lines" >"$WORK/json/$crate-lines"
    deps=$(cargo tree -q -p "$pkg" -e normal,build --prefix none -f '{p}' |
        sed 's/ (\*)//; s/ (proc-macro)//' | sort -u | grep -vc "^$pkg ")
    echo "$deps" >"$WORK/json/$crate-deps"
    if cargo tree -q -p "$pkg" -e normal,build -i openssl-sys >/dev/null 2>&1; then
        echo yes >"$WORK/json/$crate-openssl"
    else
        echo no >"$WORK/json/$crate-openssl"
    fi
    if ! cargo build -q -p "$pkg" 2>"$WORK/json/$crate-build.log"; then
        echo "does not build" >"$WORK/json/$crate-check"
        continue
    fi
    echo "$crate" >>"$WORK/json/buildable"
    touch "$crate/src/lib.rs"
    cargo clippy -p "$pkg" --message-format json 2>/dev/null |
        "$TOOLS/venv/bin/python" -c '
import json, sys
n = 0
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-message" and m["message"]["level"] == "warning" \
            and m["message"].get("spans"):
        n += 1
print(n)' >"$WORK/json/$crate-clippy"
done
# The crates take turns, one check (then one build) each per round, so that a machine that
# slows down or speeds up during the run weighs on all three alike.
for kind in check build; do
    for round in $(seq "$BUILD_RUNS"); do
        for crate in $(cat "$WORK/json/buildable" 2>/dev/null); do
            log "$kind of ${PKG[$crate]}, round $round of $BUILD_RUNS"
            cargo "$kind" -q -p "${PKG[$crate]}" 2>/dev/null
            touch "$crate/src/lib.rs"
            start=$(date +%s%N)
            cargo "$kind" -q -p "${PKG[$crate]}" 2>/dev/null
            echo $(($(date +%s%N) - start)) >>"$WORK/json/$crate-$kind.times" # nanoseconds
        done
    done
done
# Timings on a shared VM move by a tenth from round to round; the instructions rustc executes
# to check a crate do not. Counted with callgrind on the exact rustc command cargo runs (`-vv`
# prints it with its environment).
for crate in $(cat "$WORK/json/buildable" 2>/dev/null); do
    log "instructions of rustc checking ${PKG[$crate]} (callgrind)"
    touch "$crate/src/lib.rs"
    command=$(cargo check -vv -p "${PKG[$crate]}" 2>&1 |
        grep -F "Running \`" | grep -F -- "--crate-name ${PKG[$crate]//-/_} " | tail -1 |
        sed 's/^ *Running `//; s/`$//')
    eval "valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/dev/null \
        env $command" 2>&1 >/dev/null | sed -n 's/.*Collected : //p' | tail -1 \
        >"$WORK/json/$crate-check.instructions"
done
cd "$ROOT"
unset CARGO_TARGET_DIR CARGO_INCREMENTAL

log "per-request overhead of the generated client"
cargo bench -q -p apigen-tests --bench client_overhead 2>/dev/null | tee "$WORK/json/overhead.txt" >&2

# --- The table ----------------------------------------------------------------------------
"$TOOLS/venv/bin/python" bench/table.py "$WORK/json" "$RUNS" "$BUILD_RUNS" | tee "$WORK/compare.md"
