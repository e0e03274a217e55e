#!/bin/bash
# usage: idle.sh SERVER_BIN LISTING_DIR PORT ATTACKERS(x1000) [ENV...]
set -u
BIN=$1; DIR=$2; PORT=$3; N=$4; shift 4
LG=/tmp/ch20rel/ch16-05-shed/release/loadgen
AT=/tmp/ch20rel/ch14-01-oversized-and-invalid/release/attack
cd $DIR
ulimit -n 20000
env "$@" ADDR=127.0.0.1:$PORT HEAD_TIMEOUT_MS=60000 $BIN > /tmp/ch20m/server-$PORT.out 2>&1 &
SPID=$!
sleep 0.5
echo "before: $(grep -E 'Threads|VmRSS' /proc/$SPID/status | tr -s '\t ' ' ' | tr '\n' ' ') fds $(ls /proc/$SPID/fd | wc -l)"
APIDS=""
for i in $(seq 1 $N); do $AT idle --connections 1000 --duration 20 http://127.0.0.1:$PORT > /tmp/ch20m/attack-$PORT-$i.txt 2>&1 & APIDS="$APIDS $!"; done
sleep 10
echo "during: $(grep -E 'Threads|VmRSS' /proc/$SPID/status | tr -s '\t ' ' ' | tr '\n' ' ') fds $(ls /proc/$SPID/fd | wc -l)"
$LG --connections 4 --duration 5 http://127.0.0.1:$PORT/
echo "after loadgen: $(grep -E 'Threads|VmRSS' /proc/$SPID/status | tr -s '\t ' ' ' | tr '\n' ' ') fds $(ls /proc/$SPID/fd | wc -l)"
wait $APIDS
for i in $(seq 1 $N); do tail -2 /tmp/ch20m/attack-$PORT-$i.txt; done
tail -3 /tmp/ch20m/server-$PORT.out
kill $SPID; wait $SPID 2>/dev/null
