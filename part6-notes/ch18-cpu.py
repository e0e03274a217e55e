#!/usr/bin/env python3
"""CPU time per /report, each version on two cores: the server's user and
system time (/proc/PID/stat, exited threads included) over a 4-second
closed loop of one connection, divided by the reports answered. Other work
on the machine slows a run down but hardly changes the CPU time a report
costs, so this figure holds still where the rates did not."""
import subprocess, sys, os, signal, re
LISTINGS = "/work/part6/listings"; B = "/tmp/ch18bench"
VARIANTS = [("sequential", "ch18-01-report"), ("scope", "ch18-03-scoped"),
            ("rayon-join", "ch18-04-rayon-join"), ("par-iter", "ch18-06-par-iter")]
TICK = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
conns = sys.argv[2] if len(sys.argv) > 2 else "1"
print("round,connections,variant,answered,cpu_s,cpu_per_report_ms,rps", flush=True)
for r in range(1, rounds + 1):
    for name, listing in VARIANTS:
        server = subprocess.Popen(["taskset", "-c", "0,1", f"{B}/t-{listing}/release/server"],
            cwd=f"{LISTINGS}/{listing}", env={**os.environ, "ADDR": "127.0.0.1:0"},
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        addr = server.stdout.readline().strip().removeprefix("Listening on http://")
        before = cpu(server.pid)
        out = subprocess.run([f"{B}/t-ch16-05-shed/release/loadgen", "--connections", conns,
                              "--duration", "4", f"http://{addr}/report"], capture_output=True, text=True).stdout
        used = cpu(server.pid) - before
        server.send_signal(signal.SIGTERM); server.communicate(timeout=30)
        m = re.search(r"requests: (\d+) answered, (\d+) failed, in ([\d.]+) s", out)
        a = int(m.group(1))
        print(f"{r},{conns},{name},{a},{used:.2f},{1000*used/a:.2f},{a/float(m.group(3)):.1f}", flush=True)
