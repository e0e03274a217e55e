#!/usr/bin/env python3
"""Chapter 18's measurement: /report served by each fork/join step, one
connection (and four), the server pinned to 1 or 2 cores with taskset.
Runs take turns (round-robin) so that the machine's other load falls on
every variant alike. Prints one CSV row per run."""
import subprocess, sys, time, re, os, signal
LISTINGS = "/work/part6/listings"
B = "/tmp/ch18bench"
VARIANTS = [("sequential", "ch18-01-report"), ("scope", "ch18-03-scoped"),
            ("rayon-join", "ch18-04-rayon-join"), ("par-iter", "ch18-06-par-iter")]
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
duration = sys.argv[2] if len(sys.argv) > 2 else "4"
cases = [("0", 1), ("0,1", 1), ("0,1", 4)]
if os.environ.get("FOCUS"):
    cases = [("0,1", 1)]
# Which versions each case runs (all four where the comparison needs them).
ONLY = {("0", 1): {"sequential", "par-iter"}, ("0,1", 4): {"sequential", "scope", "par-iter"}}
loadgen = f"{B}/t-ch16-05-shed/release/loadgen"
label = sys.argv[3] if len(sys.argv) > 3 else ""
if not label: print("round,cores,connections,variant,answered,failed,seconds,rps,p50_us,p99_us,load_before,load_after,started", flush=True)
for r in range(1, rounds + 1):
    for cores, conns in cases:
        for name, listing in VARIANTS:
            if name not in ONLY.get((cores, conns), {name}):
                continue
            load_before = open("/proc/loadavg").read().split()[0]
            started = time.strftime("%H:%M:%S", time.gmtime())
            server = subprocess.Popen(["taskset", "-c", cores, f"{B}/t-{listing}/release/server"],
                cwd=f"{LISTINGS}/{listing}", env={**os.environ, "ADDR": "127.0.0.1:0"},
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            line = server.stdout.readline()
            addr = line.strip().removeprefix("Listening on http://")
            # Drain stdout in the background: the pool prints as it stops.
            out = subprocess.run([loadgen, "--connections", str(conns), "--duration", duration,
                                  f"http://{addr}/report"], capture_output=True, text=True).stdout
            server.send_signal(signal.SIGTERM)
            server.communicate(timeout=30)
            m = re.search(r"requests: (\d+) answered, (\d+) failed, in ([\d.]+) s", out)
            lat = re.search(r"p50 (\d+), p90 (\d+), p99 (\d+)", out)
            a, f, s = int(m.group(1)), int(m.group(2)), float(m.group(3))
            ncores = len(cores.split(","))
            load_after = open("/proc/loadavg").read().split()[0]
            print(f"{label or r},{ncores},{conns},{name},{a},{f},{s},{a/s:.2f},{lat.group(1) if lat else ''},{lat.group(3) if lat else ''},{load_before},{load_after},{started}", flush=True)
