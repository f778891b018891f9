#!/usr/bin/python3
"""Print one closing line for every test run: 'N passed, N failed, N skipped'
(meson's own summary is per build directory). Known failures (meson
should_fail / EXPECTEDFAIL) count as passed; they are listed in doc/."""
import json
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path) as f:
            lines = f.readlines()
    except FileNotFoundError:
        print("test-summary: no test log %s" % path, file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        r = json.loads(line)
        res = r.get("result")
        if res in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif res == "SKIP":
            skipped += 1
        else:
            failed += 1
            print("FAILED: %s (%s)" % (r.get("name"), res))
print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
sys.exit(1 if failed or passed == 0 else 0)
