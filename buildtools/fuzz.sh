#!/bin/sh
# Run every libFuzzer harness for SECONDS each (default 60) over its seed
# corpus. Builds build-fuzz with clang and -Dfuzzing=true. New corpus
# entries go to build-fuzz/fuzz-new/<harness>/ (seed corpora stay as
# committed); crashers are left in build-fuzz/fuzz-artifacts/.
#   buildtools/fuzz.sh [SECONDS] [NAME-FILTER]
set -eu
cd "$(dirname "$0")/.."
secs="${1:-60}"
filter="${2:-}"
sh buildtools/install-deps.sh
b="$(pwd)/build-fuzz"
if [ ! -f "$b/build.ninja" ]; then
	CC=clang meson setup "$b" -Dfuzzing=true -Dintegration=false >/dev/null
fi
ninja -C "$b"
exec /usr/bin/python3 - "$b" "$secs" "$filter" <<'PY'
import json, os, subprocess, sys
b, secs, filt = sys.argv[1], int(sys.argv[2]), sys.argv[3]
tests = json.loads(subprocess.check_output(["meson", "introspect", "--tests", b]))
failed = []
ran = 0
for t in tests:
    if "fuzz" not in t["suite"] or filt not in t["name"]:
        continue
    replay, corpus = t["cmd"][0], t["cmd"][1]
    d, base = os.path.split(replay)
    cands = [os.path.join(d, base[:-len("_replay")]) if base.endswith("_replay") else None,
             os.path.join(d, base.replace("fuzz_replay_", "fuzz_", 1))]
    exe = next((c for c in cands if c and c != replay and os.path.exists(c)), None)
    if exe is None:
        print("no libFuzzer binary for %s" % t["name"])
        failed.append(t["name"])
        continue
    name = os.path.basename(exe)
    new = os.path.join(b, "fuzz-new", name)
    art = os.path.join(b, "fuzz-artifacts", name) + "/"
    os.makedirs(new, exist_ok=True)
    os.makedirs(art, exist_ok=True)
    print("== %s: %d s" % (name, secs), flush=True)
    r = subprocess.run([exe, "-max_total_time=%d" % secs, "-artifact_prefix=" + art,
                        "-print_final_stats=1", new, corpus],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    tail = [l for l in r.stderr.splitlines() if l.startswith("stat::number_of_executed_units")]
    print("   exit %d, %s" % (r.returncode, tail[0] if tail else ""), flush=True)
    ran += 1
    if r.returncode != 0:
        failed.append(name)
        print(r.stderr[-3000:])
print("%d passed, %d failed" % (ran - len([f for f in failed if f]), len(failed)))
sys.exit(1 if failed else 0)
PY
