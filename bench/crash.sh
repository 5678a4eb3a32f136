#!/bin/sh
# crash: kill -9 the broker in a loop under load, restart it on the same port and journal,
# and count what the clients lost or got twice. The bench's `crash` scenario until
# helpline-bench has one; it runs the suite's fault test (HelplineFaultTests,
# killNineLoopUnderLoad...) with large numbers, in a release build.
#
#   bench/crash.sh                       # 20,000 tickets, 20 kills, --sync normal then full
#   TICKETS=50000 KILLS=50 bench/crash.sh
#
# Prints one line per sync mode:
#   crash: tickets=20000 kills=20 lost=0 conflicting=0 recorded=20000 elapsed=...
# lost: tickets the application never got an outcome for; conflicting: outcomes the
# application got that differ from the one the journal holds (a ticket answered twice);
# recorded: outcomes in the journal. Anything but lost=0 conflicting=0 is a failure.
set -eu
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build-bench}
: "${TICKETS:=20000}" "${KILLS:=20}" "${RATE:=2000}" "${WORKERS:=8}" "${CAPACITY:=8}" "${THINK_MS:=10}" "${CLIENTS:=2}"

swift build -c release --build-tests -Xswiftc -enable-testing --scratch-path "$SCRATCH" >/dev/null
for sync in normal full; do
    HELPLINE_CRASH_TICKETS=$TICKETS HELPLINE_CRASH_KILLS=$KILLS HELPLINE_CRASH_RATE=$RATE \
    HELPLINE_CRASH_WORKERS=$WORKERS HELPLINE_CRASH_CAPACITY=$CAPACITY HELPLINE_CRASH_THINK_MS=$THINK_MS \
    HELPLINE_CRASH_CLIENTS=$CLIENTS HELPLINE_CRASH_SYNC=$sync \
        swift test -c release --skip-build --scratch-path "$SCRATCH" --filter killNineLoopUnderLoad 2>&1 \
        | grep -E '^crash:|✘' | sed "s/^crash:/crash sync=$sync:/"
done
