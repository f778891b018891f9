#!/bin/sh
# Run every libFuzzer harness for SECONDS each (default 60) over its seed
# corpus. Builds build-fuzz with clang and -Dfuzzing=true. New corpus
# entries go to build-fuzz/fuzz-new/<harness>/ (seed corpora stay as
# committed); crashers are left in build-fuzz/fuzz-artifacts/.
#   buildtools/fuzz.sh [SECONDS] [NAME-FILTER] [JOBS]
set -eu
cd "$(dirname "$0")/.."
secs="${1:-60}"
filter="${2:-}"
jobs="${3:-1}"
sh buildtools/install-deps.sh
b="$(pwd)/build-fuzz"
if [ ! -f "$b/build.ninja" ]; then
	CC=clang meson setup "$b" -Dfuzzing=true -Dintegration=false >/dev/null
fi
ninja -C "$b"
exec /usr/bin/python3 - "$b" "$secs" "$filter" "$jobs" <<'PY'
import concurrent.futures, json, os, subprocess, sys
b, secs, filt, jobs = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
tests = json.loads(subprocess.check_output(["meson", "introspect", "--tests", b]))


def run(t):
    replay, corpus = t["cmd"][0], t["cmd"][1]
    d, base = os.path.split(replay)
    cands = [os.path.join(d, base[:-len("_replay")]) if base.endswith("_replay") else None,
             os.path.join(d, base.replace("fuzz_replay_", "fuzz_", 1)),
             os.path.join(d, base.replace("fuzz-replay-", "fuzz_", 1).replace("-", "_"))]
    exe = next((c for c in cands if c and c != replay and os.path.exists(c)), None)
    if exe is None:
        return t["name"], False, "no libFuzzer binary"
    name = os.path.basename(exe)
    new = os.path.join(b, "fuzz-new", name)
    art = os.path.join(b, "fuzz-artifacts", name) + "/"
    os.makedirs(new, exist_ok=True)
    os.makedirs(art, exist_ok=True)
    r = subprocess.run([exe, "-max_total_time=%d" % secs, "-artifact_prefix=" + art,
                        "-print_final_stats=1", new, corpus],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stats = [l for l in r.stderr.splitlines()
             if l.startswith("stat::number_of_executed_units")]
    note = "%d s, %s" % (secs, stats[0].split(":")[-1].strip() + " runs" if stats else "")
    if r.returncode != 0:
        note += "\n" + r.stderr[-3000:]
    return name, r.returncode == 0, note


selected = [t for t in tests
            if any(s.split(":")[-1] == "fuzz" for s in t["suite"]) and filt in t["name"]]
ok = 0
with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
    for name, good, note in ex.map(run, selected):
        print("%-40s %s %s" % (name, "clean" if good else "FAILED", note), flush=True)
        ok += good
print("%d passed, %d failed" % (ok, len(selected) - ok))
sys.exit(0 if ok == len(selected) else 1)
PY
