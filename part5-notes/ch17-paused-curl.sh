#!/bin/bash
# The paused server with curl, as the chapter tells the reader: WORKERS=2,
# SLOW_MS=200; kill -STOP, twelve curls for /slow, kill -TERM, kill -CONT.
# usage: ch17-paused-curl.sh LISTING RUNS
L=$1; RUNS=$2
for run in $(seq $RUNS); do
  P=$((20000 + RANDOM % 20000))
  cd /work/part5/listings/$L
  WORKERS=2 SLOW_MS=200 ADDR=127.0.0.1:$P /tmp/c17/$L/release/server > /tmp/c17/server-out.txt 2>&1 &
  S=$!; sleep 0.3
  curl -s -o /dev/null http://127.0.0.1:$P/
  kill -STOP $S
  for i in $(seq 12); do curl -s -o /dev/null -w '%{http_code}\n' http://127.0.0.1:$P/slow > /tmp/c17/pc.$i 2>&1 & done
  sleep 0.5
  kill -TERM $S; kill -CONT $S
  wait $S; RC=$?
  wait
  echo "$L run $run: exit $RC; $(cat /tmp/c17/pc.* | sort | uniq -c | tr '\n' ' '); $(grep Stopping /tmp/c17/server-out.txt)"
  rm -f /tmp/c17/pc.*
done
