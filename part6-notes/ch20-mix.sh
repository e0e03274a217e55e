#!/bin/bash
# usage: mix.sh SERVER_BIN LISTING_DIR PORT SLOW_RATE
set -u
BIN=$1; DIR=$2; PORT=$3; RATE=$4
LG=/tmp/ch20rel/ch16-05-shed/release/loadgen
cd $DIR
ADDR=127.0.0.1:$PORT $BIN > /tmp/ch20m/server-$PORT.out 2>&1 &
SPID=$!
sleep 0.5
if [ "$RATE" != "0" ]; then
  $LG --rate $RATE --connections 4 --duration 14 http://127.0.0.1:$PORT/slow > /tmp/ch20m/slow-$PORT.txt 2>&1 &
  GPID=$!
  sleep 2
fi
$LG --connections 4 --duration 10 http://127.0.0.1:$PORT/
if [ "$RATE" != "0" ]; then wait $GPID; echo "--- slow:"; cat /tmp/ch20m/slow-$PORT.txt; fi
kill $SPID; wait $SPID 2>/dev/null
