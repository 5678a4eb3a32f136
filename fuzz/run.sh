#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60): `make fuzz` and `make fuzz-smoke`.
# Reads the committed corpus (fuzz/corpus/TARGET) and the crash regressions, writes new
# inputs to a scratch corpus (never to the repository), and stops at the first crash,
# saving it under .build/fuzz/crashes/ with the command that turns it into a regression.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
shift || true
OUT="${FUZZ_OUT:-.build/fuzz}"
# Swift's crash backtracer reads the crashed stack, which AddressSanitizer reports as an
# error of its own, and can then hang holding the log open: libFuzzer's report is enough.
export SWIFT_BACKTRACE=enable=no
fuzz/build.sh "$OUT"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for entry in fuzz/*.swift; do targets+=("$(basename "$entry" .swift)"); done
fi
mkdir -p "$OUT/crashes"
for target in "${targets[@]}"; do
    scratch="$OUT/corpus-$target"
    mkdir -p "$scratch" "fuzz/corpus/$target" "fuzz/regressions/$target"
    # The core target checks every invariant after every event: short inputs (a hundred
    # or so events) run faster and vary more than long ones.
    extra=()
    [ "$target" = core ] && extra=(-max_len=768)
    echo "fuzz: $target for ${SECONDS_PER_TARGET}s"
    # -rss_limit_mb: an input that makes the codec allocate beyond this is a bug.
    # -timeout: one input running for seconds is a bug (a loop, a quadratic path).
    if ! "$OUT/$target-fuzzer" -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=1024 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$OUT/crashes/$target-" ${extra[@]+"${extra[@]}"} \
        "$scratch" "fuzz/corpus/$target" "fuzz/regressions/$target" 2>"$OUT/$target.log"; then
        # From the first report line: the driver's message (which events led there) or the sanitizer's.
        sed -n '/Fatal error\|ERROR: /,$p' "$OUT/$target.log" | head -60
        echo "fuzz: $target crashed; the input is in $OUT/crashes/. Keep it as a regression test:"
        echo "  cp $OUT/crashes/$target-crash-* fuzz/regressions/$target/   # replayed by swift test (FuzzCorpusTests)"
        exit 1
    fi
    grep -E "^stat::number_of_executed_units|^stat::new_units_added|^stat::peak_rss_mb|^Done" "$OUT/$target.log" | tr '\n' ' '
    echo
done
