#!/bin/sh
# Chapter 14's figures: memory under the long-line and long-head attacks,
# before (ch13-05) and after (ch14-07); what bad-utf8 gets; release builds,
# each listing in a target directory of its own (they share package names).
M=/tmp/p14m
L=/work/part5/listings
for l in ch13-05-request-timeout ch14-07-parser-tests ch14-01-oversized-and-invalid ch10-03-intended-start; do
  (cd $L/$l && cargo build -q --release --target-dir $M/$l)
done
cp $M/ch13-05-request-timeout/release/server $M/before
cp $M/ch14-07-parser-tests/release/server $M/after
cp $M/ch14-01-oversized-and-invalid/release/attack $M/attack
cp $M/ch10-03-intended-start/release/loadgen $M/loadgen
mem() { grep -E "^$2:" /proc/$1/status | tr -s ' \t' ' '; }
run() { # name binary mode env...
  name=$1; bin=$2; mode=$3; shift 3
  (cd $L/ch13-05-request-timeout && exec env "$@" ADDR=127.0.0.1:7398 $M/$bin > /dev/null 2>$M/$name.$mode.err) &
  SP=$!
  sleep 0.5
  echo "== $name ($*), attack $mode --connections 1 --duration 5"
  mem $SP VmRSS
  $M/attack $mode --connections 1 --duration 5 http://127.0.0.1:7398 | grep -v open
  mem $SP VmHWM
  curl -s -o /dev/null -w "after the attack: / %{http_code}\n" http://127.0.0.1:7398/
  kill $SP; wait $SP 2>/dev/null
  sort $M/$name.$mode.err | uniq -c | head -3
}
for mode in long-line long-head bad-utf8; do
  run before before $mode HEAD_TIMEOUT_MS=1000
  run after after $mode HEAD_TIMEOUT_MS=1000
done
# Throughput on / without an attack, 4 connections, 10 s, each server alone.
for bin in before after; do
  (cd $L/ch13-05-request-timeout && exec env ADDR=127.0.0.1:7398 $M/$bin > /dev/null 2>&1) &
  SP=$!
  sleep 0.5
  echo "== $bin, loadgen / 4 connections 10 s"
  $M/loadgen --connections 4 --duration 10 http://127.0.0.1:7398/ | tail -4
  kill $SP; wait $SP 2>/dev/null
done
