#!/usr/bin/python3
"""Start a throwaway DC with the freshly built module (as the integration
tests do) and run bench_roundtrip against it. Needs root, like them.
Usage: run_roundtrip.py BENCH_BINARY [SECONDS]"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "testsuite", "integration"))
import ocharness  # noqa: E402


def main():
    binary = sys.argv[1]
    seconds = sys.argv[2] if len(sys.argv) > 2 else "3"
    ocharness.install_module()
    with ocharness.SambaDC("bench") as dc:
        dc.start()
        res = subprocess.run([binary, dc.ip, "Administrator",
                              ocharness.ADMINPASS, ocharness.DOMAIN, seconds],
                             capture_output=True, text=True, timeout=600)
        sys.stdout.write(res.stdout)
        sys.stderr.write(res.stderr)
        return res.returncode


if __name__ == "__main__":
    sys.exit(main())
