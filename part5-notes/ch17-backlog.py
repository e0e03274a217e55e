#!/usr/bin/env python3
"""Chapter 17: the backlog at the signal. The server is paused (SIGSTOP)
while N clients connect and send GET /slow; then SIGTERM and SIGCONT.
Counts, per client, what it read: a whole answer (status), nothing, or a reset.
usage: ch17-backlog.py LISTING N RUNS"""
import os, signal, socket, subprocess, sys, time, random, collections
listing, n, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
binary = f"/tmp/c17/{listing}/release/server"
total = collections.Counter()
for run in range(runs):
    port = random.randint(20000, 40000)
    env = dict(os.environ, WORKERS="2", SLOW_MS="200", ADDR=f"127.0.0.1:{port}")
    srv = subprocess.Popen([binary], cwd=f"/work/part5/listings/{listing}", env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    srv.stdout.readline()
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(b"GET / HTTP/1.1\r\n\r\n"); 
    while s.recv(65536): pass
    s.close()
    srv.send_signal(signal.SIGSTOP)
    clients = []
    for _ in range(n):
        c = socket.create_connection(("127.0.0.1", port)); c.settimeout(10)
        c.sendall(b"GET /slow HTTP/1.1\r\nConnection: close\r\n\r\n"); clients.append(c)
    srv.send_signal(signal.SIGTERM); srv.send_signal(signal.SIGCONT)
    seen = collections.Counter()
    for c in clients:
        data = b""
        try:
            while True:
                chunk = c.recv(65536)
                if not chunk: break
                data += chunk
            seen[data.split(b"\r\n")[0].decode() if data else "nothing (EOF)"] += 1
        except ConnectionResetError:
            seen["reset" + (" after " + data.split(b"\r\n")[0].decode() if data else "")] += 1
        except socket.timeout:
            seen["timeout"] += 1
    rc = srv.wait(timeout=20)
    last = srv.stdout.read().strip().splitlines()
    print(f"{listing} run {run+1}: {dict(seen)}; exit {rc}; {[l for l in last if l.startswith('Stopping')]}")
    total.update(seen)
print(f"{listing} total over {runs} runs of {n} clients: {dict(total)}")
