#!/bin/sh
# Runs one fuzz target on one core: ./fuzz/run.sh <target> [seconds]
# Targets: painless pipeline_loader events_pipeline mustache grok_dissect.
# Needs `cargo install cargo-fuzz`; RUSTC_BOOTSTRAP=1 lets the stable
# toolchain accept the flags cargo fuzz passes. Seeds come from
# seed_corpora.py; findings land in fuzz/artifacts/<target>/.
set -eu
cd "$(dirname "$0")"
target=$1
seconds=${2:-600}
[ -d "corpus/$target" ] || python3 seed_corpora.py
mkdir -p "artifacts/$target"
RUSTC_BOOTSTRAP=1 exec cargo fuzz run "$target" -s none -a "corpus/$target" -- \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -timeout=10 -rss_limit_mb=2048 -max_total_time="$seconds" \
    -artifact_prefix="artifacts/$target/"
