#!/bin/sh
cd /work/part5/listings/ch12-07-queue-and-condvar
M=/tmp/p5m
run() { # name binary env...
  name=$1; bin=$2; shift 2
  env "$@" ADDR=127.0.0.1:7399 $M/$bin > /dev/null 2>&1 &
  SP=$!
  sleep 0.5
  $M/attack idle --connections 16 --duration 13 http://127.0.0.1:7399 > $M/$name.idle &
  I=$!
  $M/attack trickle --connections 8 --duration 13 http://127.0.0.1:7399 > $M/$name.trickle &
  T=$!
  sleep 1
  echo "== $name, 16 idle + 8 trickling"
  $M/loadgen --connections 4 --duration 10 http://127.0.0.1:7399/ | tail -4
  wait $I $T
  cat $M/$name.idle $M/$name.trickle | grep -v open
  kill $SP; wait $SP 2>/dev/null
}
run deadline-10s deadline
run deadline-1s deadline HEAD_TIMEOUT_MS=1000
run deadline-1s-32-workers deadline HEAD_TIMEOUT_MS=1000 WORKERS=32
run deadline-100ms deadline HEAD_TIMEOUT_MS=100
