import csv, sys, statistics as st
rows = list(csv.DictReader(open(sys.argv[1])))
by = {}
for r in rows:
    by.setdefault((r["cores"], r["connections"], r["variant"]), []).append(r)
print("cores conns variant runs median_rps median_p50_ms")
for k, v in sorted(by.items()):
    rps = st.median(float(x["rps"]) for x in v)
    p50 = st.median(int(x["p50_us"]) for x in v) / 1000
    print(*k, len(v), f"{rps:.1f}", f"{p50:.1f}")
# Per-round ratios against the sequential version in the same case.
print("ratios vs sequential, per round, then median")
rounds = sorted({r["round"] for r in rows})
for case in sorted({(r["cores"], r["connections"]) for r in rows}):
    for var in ["scope", "rayon-join", "par-iter"]:
        ratios = []
        for rd in rounds:
            seq = [float(r["rps"]) for r in rows if r["round"] == rd and (r["cores"], r["connections"]) == case and r["variant"] == "sequential"]
            oth = [float(r["rps"]) for r in rows if r["round"] == rd and (r["cores"], r["connections"]) == case and r["variant"] == var]
            if seq and oth and seq[0] > 0:
                ratios.append(oth[0] / seq[0])
        if ratios:
            print(case, var, " ".join(f"{x:.2f}" for x in ratios), "median", f"{st.median(ratios):.2f}")
# Two cores against one, sequential and par-iter.
