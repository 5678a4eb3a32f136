#!/usr/bin/env bash
# Builds the libFuzzer targets: the codec, broker-core and driver modules compiled with
# coverage and AddressSanitizer (swiftc -sanitize=fuzzer,address), then one binary per
# target in fuzz/*.swift. Usage: fuzz/build.sh [OUT_DIR]   (default .build/fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-.build/fuzz}"
mkdir -p "$OUT"
SWIFTC="${SWIFTC:-swiftc}"
FLAGS=(-sanitize=fuzzer,address -O -parse-as-library -package-name Helpline
       -I "$OUT" -I Sources/CMsgPack -module-cache-path "$OUT/module-cache")

module() {  # module NAME: a static library and its .swiftmodule, rebuilt when a source is newer
    local name="$1"
    local library="$OUT/lib$name.a"
    if [ -f "$library" ] && [ -z "$(find "Sources/$name" -name '*.swift' -newer "$library" | head -1)" ] \
        && [ "${2:-}" != "force" ]; then
        return 1
    fi
    echo "fuzz: compiling $name"
    "$SWIFTC" "${FLAGS[@]}" -emit-library -static -emit-module -module-name "$name" \
        -emit-module-path "$OUT/$name.swiftmodule" -o "$library" "Sources/$name"/*.swift
}

# A module rebuilt forces the ones that import it.
changed=""
module HelplineWire && changed=force
module HelplineBrokerCore $changed && changed=force
module HelplineFuzzing $changed || true

for entry in fuzz/*.swift; do
    target="$(basename "$entry" .swift)"
    binary="$OUT/$target-fuzzer"
    if [ -f "$binary" ] && [ "$binary" -nt "$entry" ] && [ "$binary" -nt "$OUT/libHelplineFuzzing.a" ]; then continue; fi
    echo "fuzz: linking $binary"
    "$SWIFTC" "${FLAGS[@]}" -use-ld=lld "$entry" \
        "$OUT/libHelplineFuzzing.a" "$OUT/libHelplineBrokerCore.a" "$OUT/libHelplineWire.a" -lmsgpackc -o "$binary"
done
