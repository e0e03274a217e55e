#!/usr/bin/env python3
"""The time of one /report, taken as the fastest of N requests in a row
(one at a time, curl), for each version, pinned to 1 or 2 cores: the
fastest request is the one the machine's other work disturbed least."""
import subprocess, sys, os, signal, statistics
LISTINGS = "/work/part6/listings"
B = "/tmp/ch18bench"
VARIANTS = [("sequential", "ch18-01-report"), ("scope", "ch18-03-scoped"),
            ("rayon-join", "ch18-04-rayon-join"), ("par-iter", "ch18-06-par-iter")]
n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
print("round,cores,variant,requests,min_ms,p10_ms,median_ms,load", flush=True)
for r in range(1, rounds + 1):
    for cores in ["0", "0,1"]:
        for name, listing in VARIANTS:
            server = subprocess.Popen(["taskset", "-c", cores, f"{B}/t-{listing}/release/server"],
                cwd=f"{LISTINGS}/{listing}", env={**os.environ, "ADDR": "127.0.0.1:0"},
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            addr = server.stdout.readline().strip().removeprefix("Listening on http://")
            out = subprocess.run(["curl", "-s", "-w", "%{time_total}\n"]
                                 + ["-o", "/dev/null", f"http://{addr}/report"] * n, capture_output=True, text=True).stdout
            times = sorted(float(t) * 1000 for t in out.split())
            load = open("/proc/loadavg").read().split()[0]
            server.send_signal(signal.SIGTERM); server.communicate(timeout=30)
            print(f"{r},{len(cores.split(','))},{name},{len(times)},{times[0]:.2f},{times[len(times)//10]:.2f},{statistics.median(times):.2f},{load}", flush=True)
