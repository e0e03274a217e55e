#!/usr/bin/env python3
"""Renders src/en/ch22-choosing-a-model.md from part6-notes/ch22-template.md
and the data files of `book-bench models` (bench/data/models-*.csv, or the
folder given as the first argument). Every figure the chapter quotes comes
from those files; this script only formats them. (Raw notes: removed before
the part lands, with the figures already in the chapter.)"""
import csv, io, os, sys, re

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, 'bench/data')

def read(name):
    text = open(os.path.join(data, name)).read()
    comments = [l[2:] for l in text.splitlines() if l.startswith('# ')]
    rows = list(csv.DictReader(io.StringIO('\n'.join(l for l in text.splitlines() if not l.startswith('#')))))
    return comments, {r.get('model') or r.get('split'): r for r in rows}

def num(x): return float(x) if x not in ('', None) else None

def thousands(n):
    return f"{n:,.0f}"

def ms(us):
    if us in (None, ''): return '—'
    us = float(us)
    if us >= 1e6: return f"{us/1e6:.1f} s"
    if us >= 1e4: return f"{us/1e3:.0f} ms"
    if us >= 1e3: return f"{us/1e3:.1f} ms"
    return f"{us/1e3:.2f} ms"

NAMES = {
    'pool': "Part 5's pool",
    'event-loop': "the event loop (ch. 19)",
    'async-one': "tokio, one thread (ch. 20)",
    'async-many': "tokio, many threads (ch. 21)",
    'nginx': "nginx",
}

f = {}
about, close = read('models-close.csv')
_, keep = read('models-keep-alive.csv')
_, slow = read('models-slow.csv')
_, idle = read('models-idle.csv')
fj_about, fj = read('models-forkjoin.csv')

machine = next(l for l in about if l.startswith('machine: '))[len('machine: '):]
date = next(l for l in about if l.startswith('date: '))[len('date: '):]
load = next((l for l in about if l.startswith('load average')), '')
load = load.split(': ')[-1] if load else ''
nginx_line = next((l for l in about if l.startswith('nginx: ')), '')
cores = machine.split(' cores')[0]
system = machine.split(', ')[1]
rustc = machine.split(', ')[2].split(' (')[0]
f['machine'] = f"a machine with {cores} cores ({system}, {rustc})"
import datetime
d = datetime.datetime.strptime(date, '%Y-%m-%dT%H:%M:%SZ')
f['date'] = f"{d.day} {d.strftime('%B %Y')}, {d.strftime('%H:%M')} UTC"
f['load'] = load.split()[0] if load else '?'

# Throughput
rows = []
for m in ['pool', 'event-loop', 'async-one', 'async-many', 'nginx']:
    if m not in close: continue
    c, k = close[m], keep[m]
    req = int(k['answered']) + int(k['failed'])
    rows.append(f"| {NAMES[m]} | {thousands(num(c['requests_per_second']))} | {ms(c['p99_us'])} | "
                f"{thousands(num(k['requests_per_second']))} | {ms(k['p99_us'])} | "
                f"{thousands(int(k['connections_opened']))} for {thousands(req)} | {k['cpu_per_request_us']} µs |")
f['throughput_table'] = ("| model | `Connection: close`, requests/s | its p99 | keep-alive, requests/s | its p99 | "
                         "keep-alive: connections opened for requests | keep-alive: CPU per request |\n"
                         "| --- | --- | --- | --- | --- | --- | --- |\n" + "\n".join(rows))
rates = [num(close[m]['requests_per_second']) for m in close]
f['close_min'] = thousands(min(rates)); f['close_max'] = thousands(max(rates))
f['close_spread'] = f"{(max(rates) - min(rates)) / min(rates) * 100:.0f}"
f['pool_close_shed'] = thousands(int(close['pool']['shed']))
f['pool_close_answered'] = thousands(int(close['pool']['answered']))
f['many_ka'] = thousands(num(keep['async-many']['requests_per_second']))
f['many_close'] = thousands(num(close['async-many']['requests_per_second']))
f['many_ka_x'] = f"{num(keep['async-many']['requests_per_second'])/num(close['async-many']['requests_per_second']):.1f}"
f['many_cpu_close'] = close['async-many']['cpu_per_request_us']
f['many_cpu_ka'] = keep['async-many']['cpu_per_request_us']
if 'nginx' in keep:
    f['nginx_ka'] = thousands(num(keep['nginx']['requests_per_second']))
    f['nginx_ka_x'] = f"{num(keep['nginx']['requests_per_second'])/num(close['nginx']['requests_per_second']):.1f}"
    f['many_over_nginx'] = f"{num(keep['async-many']['requests_per_second'])/num(keep['nginx']['requests_per_second']):.2f}"
    f['many_over_nginx_close'] = f"{num(close['async-many']['requests_per_second'])/num(close['nginx']['requests_per_second']):.2f}"
    f['nginx_opened'] = thousands(int(keep['nginx']['connections_opened']))
    f['nginx_requests'] = thousands(int(keep['nginx']['answered']) + int(keep['nginx']['failed']))
    f['nginx_cpu_ka'] = keep['nginx']['cpu_per_request_us']
    per_round = 128 * int(keep['nginx']['rounds'])
    f['nginx_opened_note'] = ('' if int(keep['nginx']['connections_opened']) <= per_round else
        ' (nginx closes a kept connection after a thousand requests, its `keepalive_requests`, '
        'and the generator opens another)')
f['many_opened'] = keep['async-many']['connections_opened']
changes = [(num(keep[m]['requests_per_second']) / num(close[m]['requests_per_second']) - 1) * 100
           for m in ['pool', 'event-loop', 'async-one']]
lo, hi = min(changes), max(changes)
f['others_change'] = (f"{lo:+.0f} to {hi:+.0f} per cent" if round(lo) != round(hi)
                      else f"{lo:+.0f} per cent")
f['rounds'] = close['pool']['rounds']

# Slow
rows = []
for m in ['pool', 'event-loop', 'async-one', 'async-many']:
    r = slow[m]
    rows.append(f"| {NAMES[m]} | {thousands(int(r['answered']))} | {ms(r['p50_us'])} | {ms(r['p99_us'])} | "
                f"{r['slow_answered']} | {r['slow_shed']} |")
f['slow_table'] = ("| model | `/` answered in 10 s | `/` p50 | `/` p99 | `/slow` answered | `/slow` turned away (503) |\n"
                   "| --- | --- | --- | --- | --- | --- |\n" + "\n".join(rows))
f['pool_slow_answered'] = slow['pool']['answered']
f['pool_slow_p50'] = ms(slow['pool']['p50_us'])
f['pool_slow_shed'] = slow['pool']['slow_shed']
f['pool_slow_answered_slow'] = slow['pool']['slow_answered']
asyncs = ['event-loop', 'async-one', 'async-many']
p99s = [num(slow[m]['p99_us']) for m in asyncs]
f['async_slow_p99_min'] = ms(min(p99s)); f['async_slow_p99_max'] = ms(max(p99s))
f['async_slow_answered'] = slow['async-many']['slow_answered']

# Idle
rows = []
for m in ['pool', 'event-loop', 'async-one', 'async-many', 'nginx']:
    if m not in idle: continue
    r = idle[m]
    per = r['rss_per_connection_kb']
    per = f"{per} kB" if per else '—'
    shed = int(r['shed'])
    rows.append(f"| {NAMES[m]} | {thousands(int(r['idle_opened']))} | {thousands(int(r['held_by_server']))} | "
                f"{thousands(int(r['rss_before_kb']))} → {thousands(int(r['rss_idle_kb']))} kB | {per} | "
                f"{thousands(int(r['answered']))} | {ms(r['p50_us'])} | {ms(r['p99_us'])} | {thousands(shed)} |")
f['idle_table'] = ("| model | idle connections opened | held by the server | its memory (`VmRSS`) before → with them | per connection held | `/` answered in 10 s | `/` p50 | `/` p99 | `/` turned away (503) |\n"
                   "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n" + "\n".join(rows))
for m, key in [('event-loop', 'loop'), ('async-one', 'one'), ('async-many', 'many'), ('nginx', 'nginx'), ('pool', 'pool')]:
    if m not in idle: continue
    r = idle[m]
    f[f'idle_{key}_p99'] = ms(r['p99_us'])
    f[f'idle_{key}_p50'] = ms(r['p50_us'])
    f[f'idle_{key}_held'] = thousands(int(r['held_by_server']))
    f[f'idle_{key}_kb'] = r['rss_per_connection_kb']
    f[f'idle_{key}_opened'] = thousands(int(r['idle_opened']))
    f[f'idle_{key}_shed'] = thousands(int(r['shed']))
    f[f'idle_{key}_answered'] = thousands(int(r['answered']))
    f[f'idle_{key}_opening'] = r['opening_s']

f['idle_pool_chart_note'] = ("The chart has no bar for Part 5's pool: it answered no `/` whose time "
                             "could be drawn.\n\n" if int(idle['pool']['answered']) == 0 else '')

# Fork/join
rows = []
for s in ['sequential', 'thread::scope', 'rayon par_iter']:
    r = fj[s]
    rows.append(f"| `{r['server']}` | {s} | {num(r['requests_per_second']):.1f} | {ms(r['p50_us'])} | {r['speedup']}× |")
f['fj_table'] = ("| listing | `/report` computed | requests/s, one at a time | p50 | speed-up |\n"
                 "| --- | --- | --- | --- | --- |\n" + "\n".join(rows))
f['fj_scope'] = fj['thread::scope']['speedup']
f['fj_rayon'] = fj['rayon par_iter']['speedup']
fj_first = fj_about[0]
m_busy = re.search(r'waiting: (\d+) of the (\d+) rounds', fj_first)
fj_date = next(l for l in fj_about if l.startswith('date: '))[len('date: '):]
fd = datetime.datetime.strptime(fj_date, '%Y-%m-%dT%H:%M:%SZ')
if m_busy and fj_date != date:
    f['fj_method'] = (". A split answer is faster only when the second core is free, so, as "
        "chapter 18 does, each round starts once the processors have been 70 % idle or more "
        f"for 3 seconds, or after a minute of waiting ({m_busy.group(1)} of its "
        f"{m_busy.group(2)} rounds had to start without it). This part was run on its own, "
        "with the same command (`--only forkjoin`), after the rest, and finished at "
        + fd.strftime('%H:%M') + " UTC")
elif m_busy:
    f['fj_method'] = (". A split answer is faster only when the second core is free, so, as "
        "chapter 18 does, each round starts once the processors have been 70 % idle or more "
        f"for 3 seconds, or after a minute of waiting ({m_busy.group(1)} of its "
        f"{m_busy.group(2)} rounds had to start without it)")
else:
    f['fj_method'] = ''
f['fj_seq_rate'] = f"{num(fj['sequential']['requests_per_second']):.1f}"
best = max(num(fj['thread::scope']['speedup']), num(fj['rayon par_iter']['speedup']))
busy = ("a split answer needs the second core free, and during this run other work "
        "kept it busy much of the time (the load average above). [Chapter 18]"
        "(ch18-fork-join.md#fork-join-measured) measures the same listings with each server "
        "pinned to one core and then to two; this run shows the other half of the lesson, that "
        "fork/join lends a request cores it only has when nobody else is using them.")
if best >= 1.5:
    f['fj_recap'] = (f"Chapter 18's `/report`, split across 2 cores, ran {f['fj_scope']} times as fast "
                     f"with `thread::scope` and {f['fj_rayon']} times with rayon.")
    f['fj_reading'] = ("The ceiling is 2, the number of cores, and the generator, on the same cores, "
                       "takes its share; on a machine with more cores the same code goes further, "
                       "and the sequential version does not move.")
elif best >= 1.1:
    f['fj_recap'] = (f"Chapter 18's `/report`, split, ran {f['fj_scope']} times as fast with "
                     f"`thread::scope` and {f['fj_rayon']} times with rayon, on two cores that other "
                     "work kept busy: a split needs cores to spare.")
    f['fj_reading'] = ("A speed-up, and far from the 2 that two cores allow: " + busy)
else:
    f['fj_recap'] = (f"Chapter 18's `/report`, split, gained nothing on two cores that other work "
                     f"kept busy ({f['fj_scope']} and {f['fj_rayon']} times the sequential rate): "
                     "a split needs cores to spare.")
    f['fj_reading'] = ("That is no speed-up at all, and the reason is the machine, not the code: " + busy)

template = open(os.path.join(root, 'part6-notes/ch22-template.md')).read()
missing = sorted(set(re.findall(r'\{\{=(\w+)\}\}', template)) - set(f))
if missing:
    sys.exit(f"no figure for {missing}")
out = re.sub(r'\{\{=(\w+)\}\}', lambda m: str(f[m.group(1)]), template)
# Paragraphs that a figure made longer than a line are wrapped again
# (plain prose only: not tables, lists, quotes, headings, directives or code).
import textwrap
blocks, fenced = out.split('\n\n'), False
for i, block in enumerate(blocks):
    if block.count('```') % 2:
        fenced = not fenced
        continue
    if fenced or block.startswith(('|', '-', '>', '#', '{{', '<', '```')):
        continue
    if any(len(line) > 76 for line in block.splitlines()):
        blocks[i] = textwrap.fill(' '.join(block.split()), width=72,
                                  break_long_words=False, break_on_hyphens=False)
out = '\n\n'.join(blocks)
open(os.path.join(root, 'src/en/ch22-choosing-a-model.md'), 'w').write(out)
for k in sorted(f):
    if '_table' not in k: print(k, '=', f[k])
