#!/bin/sh
# journal-roundtrip: the bench's roundtrip headline (10 agents, 10 consoles of capacity 10,
# 10 tickets in flight each, 200-byte bodies) on an in-memory broker, a journaled one with
# --sync normal and one with --sync full, interleaved, REPEATS times, in one invocation.
# Target: durable (normal) ≥ 50% of in-memory.
#
# Needs helpline-bench (the bench's executable) built in release beside helpline:
#   swift build -c release && bench/journal-roundtrip.sh
# The broker each run starts is wrapped so that it gets the journal flags; each journaled
# run writes a fresh journal in a temporary directory, removed afterwards.
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release}
REPEATS=${REPEATS:-3}
[ -x "$BIN/helpline-bench" ] || { echo "no $BIN/helpline-bench: build the bench first" >&2; exit 1; }
WORK=$(mktemp -d /tmp/helpline-journal-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM
for mode in memory normal full; do
    mkdir -p "$WORK/$mode"
    cp "$BIN/helpline-bench" "$WORK/$mode/"
    if [ "$mode" = memory ]; then flags='--journal memory'; else flags="--journal \$(mktemp -d $WORK/journal-XXXXXX)/helpline.db --sync $mode"; fi
    # helpline-bench starts the `helpline` beside itself: this one adds the journal flags.
    cat > "$WORK/$mode/helpline" <<WRAPPER
#!/bin/sh
if [ "\$1" = broker ]; then eval exec "$(pwd)/$BIN/helpline" '"\$@"' $flags; fi
exec "$(pwd)/$BIN/helpline" "\$@"
WRAPPER
    chmod +x "$WORK/$mode/helpline"
done
for run in $(seq "$REPEATS"); do
    for mode in memory normal full; do
        "$WORK/$mode/helpline-bench" run --quick --only roundtrip --no-json --measure-ms 2000 2>&1 \
            | grep 'inflight10_body200 helpline \[' | sed "s/^ *roundtrip_c10_w10_cap10_inflight10_body200 helpline \[1\/1\]:/run $run $mode:/"
    done
done
