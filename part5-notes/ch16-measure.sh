#!/bin/sh
# Chapter 16's figures, one sitting: release builds of ch16-01-slow-ms
# (unbounded queue), ch16-07-accept-backoff (bounded, sheds, backs off) and
# the generator ch16-05-shed, each built in its own target dir and copied to
# $M. WORKERS=4 SLOW_MS=10: capacity 4 / 10 ms = 400 /slow a second.
M=/tmp/m16/bin
cd /work/part5/listings/ch16-07-accept-backoff   # the pages
PORT=7416
sample() { # pid: max open files and max VmRSS until the file $M/stop appears
  most_fd=0; most_rss=0
  while [ ! -e $M/stop ]; do
    fd=$(ls /proc/$1/fd 2>/dev/null | wc -l)
    rss=$(awk '/VmRSS/ {print $2}' /proc/$1/status 2>/dev/null)
    [ "$fd" -gt "$most_fd" ] && most_fd=$fd
    [ "${rss:-0}" -gt "$most_rss" ] && most_rss=$rss
    sleep 0.05
  done
  echo "open files at most $most_fd, VmRSS at most $most_rss kB"
}
run() { # name binary rate
  WORKERS=4 SLOW_MS=10 ADDR=127.0.0.1:$PORT $M/$2 > /dev/null 2> $M/$1.stderr &
  SP=$!
  sleep 0.5
  echo "== $1 ($2), --rate $3"
  echo "before: open files $(ls /proc/$SP/fd | wc -l), $(grep VmRSS /proc/$SP/status)"
  rm -f $M/stop; sample $SP > $M/sample & SAMPLER=$!
  nstat -n
  $M/${4:-loadgen} --rate $3 --duration 5 --connections 1000 http://127.0.0.1:$PORT/slow
  touch $M/stop; wait $SAMPLER; cat $M/sample
  echo "backlog overflows (nstat): $(nstat -z TcpExtListenOverflows | awk '/Overflows/ {print $2}')"
  echo "after: open files $(ls /proc/$SP/fd | wc -l), $(grep VmRSS /proc/$SP/status)"
  kill $SP; wait $SP 2>/dev/null
}
echo "== capacity: closed loop, 8 connections, 5 s, on the unbounded server"
WORKERS=4 SLOW_MS=10 ADDR=127.0.0.1:$PORT $M/unbounded > /dev/null 2>&1 &
SP=$!; sleep 0.5
$M/loadgen --connections 8 --duration 5 http://127.0.0.1:$PORT/slow
kill $SP; wait $SP 2>/dev/null
for rate in 400 800 1600; do
  run unbounded-$rate unbounded $rate
  run bounded-$rate backoff $rate
done
# The steps between: the 503 with the request left unread (ch16-03), with
# chapter 10's generator and with the one that counts shed requests; and the
# answer ended before the close (ch16-06).
run unread-1600-ch10-generator unread 1600 loadgen-ch10
run unread-1600 unread 1600
run finish-then-close-1600 sheds 1600
# EMFILE: default WORKERS (4), HEAD_TIMEOUT 10 s, a limit of 16 open files,
# 24 idle clients from the attack tool for 5 s; error lines counted.
for server in sheds backoff; do
  # stderr counted through a pipe: the spinning server prints millions of lines.
  sh -c "echo \$\$ > $M/emfile.pid; ulimit -n 16 && ADDR=127.0.0.1:$PORT exec $M/$server 2>&1 >/dev/null" |
    awk '{ n++ } NR <= 2 { print } END { print "error lines:", n + 0 }' > $M/$server.emfile &
  sleep 0.5
  $M/attack idle --connections 24 --duration 5 http://127.0.0.1:$PORT > $M/attack.out
  curl -s -o /dev/null -w "curl / after the attack: %{http_code} in %{time_total} s\\n" --max-time 5 http://127.0.0.1:$PORT/
  kill $(cat $M/emfile.pid); sleep 0.5
  echo "== EMFILE, $server, ulimit -n 16, attack idle --connections 24 --duration 5"
  cat $M/$server.emfile
  cat $M/attack.out
done
