#!/bin/bash
# Chapter 17's sittings: release builds, each listing in its own target dir
# (/tmp/c17/LISTING), run from the listing's folder (its pages).
B=/tmp/c17
ATTACK=$B/ch13-01-idle-and-trickle/release/attack
LOADGEN=$B/ch16-05-shed/release/loadgen
L=/work/part5/listings
port() { echo $((20000 + RANDOM % 20000)); }

idle_stop() { # LISTING HEAD_TIMEOUT_MS
  cd $L/$1; P=$(port)
  if [ -n "$2" ]; then export HEAD_TIMEOUT_MS=$2; else unset HEAD_TIMEOUT_MS; fi
  WORKERS=4 ADDR=127.0.0.1:$P $B/$1/release/server > /tmp/c17/s.out 2>/tmp/c17/s.err &
  S=$!; sleep 0.3
  $ATTACK idle --connections 4 --duration 8 http://127.0.0.1:$P > /tmp/c17/a.out 2>&1 &
  A=$!; sleep 1
  T0=$(date +%s.%N); kill -TERM $S; wait $S; RC=$?; T1=$(date +%s.%N)
  wait $A
  echo "== $1 HEAD_TIMEOUT_MS=${2:-default}, attack idle 4 x 8 s, SIGTERM at 1 s: exit $RC after $(echo "$T1 - $T0" | bc) s"
  cat /tmp/c17/a.out; tail -1 /tmp/c17/s.out | head -1; grep -c . /tmp/c17/s.err | sed 's/^/stderr lines: /'
}

load_stop() { # LISTING CONNECTIONS [RATE]  (WORKERS=4 SLOW_MS=10: capacity 400/s)
  cd $L/$1; P=$(port)
  WORKERS=4 SLOW_MS=10 ADDR=127.0.0.1:$P $B/$1/release/server > /tmp/c17/s.out 2>/tmp/c17/s.err &
  S=$!; sleep 0.3
  ARGS="--connections $2 --duration 5"; [ -n "$3" ] && ARGS="$ARGS --rate $3"
  $LOADGEN $ARGS http://127.0.0.1:$P/slow > /tmp/c17/l.out 2>&1 &
  G=$!; sleep 2
  T0=$(date +%s.%N); kill -TERM $S; wait $S; RC=$?; T1=$(date +%s.%N)
  wait $G
  echo "== $1 WORKERS=4 SLOW_MS=10, loadgen $ARGS /slow, SIGTERM at 2 s: exit $RC after $(echo "$T1 - $T0" | bc) s"
  grep -E "requests|failures" /tmp/c17/l.out; grep Stopping /tmp/c17/s.out; sort /tmp/c17/s.err | uniq -c
}

second_signal() { # LISTING
  cd $L/$1; P=$(port)
  WORKERS=2 SLOW_MS=2000 ADDR=127.0.0.1:$P $B/$1/release/server > /tmp/c17/s.out 2>/tmp/c17/s.err &
  S=$!; sleep 0.3
  (curl -sS -o /dev/null -w "curl: %{http_code} %{size_download} bytes\n" http://127.0.0.1:$P/slow 2>&1) &
  C=$!; sleep 0.5
  T0=$(date +%s.%N); kill -TERM $S; sleep 0.5; kill -TERM $S 2>/dev/null; wait $S; RC=$?; T1=$(date +%s.%N)
  wait $C
  echo "== $1 /slow of 2 s in flight, SIGTERM, SIGTERM 0.5 s later: exit $RC after $(echo "$T1 - $T0" | bc) s"
  cat /tmp/c17/s.out /tmp/c17/s.err
}
"$@"
