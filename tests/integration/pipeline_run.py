#!/usr/bin/env python3
"""netra run: all stages in one process over inproc://; the sink holds what
`netra classify` gives; running again stores nothing twice; SIGTERM stops a
running pipeline cleanly. Usage: pipeline_run.py NETRA SOURCE_DIR"""
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pipeline_common import Pipeline, compare, wait_for, write_posts  # noqa: E402


def main():
    netra, src = sys.argv[1], sys.argv[2]
    failures = 0
    pl = Pipeline(netra, src)
    write_posts(pl.posts, 500, src)
    want = pl.reference()
    assert want, "the reference has no flags"

    r = subprocess.run([netra, "run", "--config", pl.config, "--once"], capture_output=True,
                       text=True, timeout=60)
    if r.returncode != 0:
        print("FAIL run --once exit %d: %s" % (r.returncode, r.stderr))
        failures += 1
    err = compare(pl.sink_list(), want)
    print("%s run --once: %d flags, as netra classify gives%s" %
          ("FAIL" if err else "PASS", len(want), ": " + err if err else ""))
    failures += bool(err)

    # The same posts again (a fresh collector state): stored once.
    shutil.rmtree(os.path.join(pl.tmp, "data", "pipeline"))
    for name in os.listdir(os.path.join(pl.tmp, "data")):
        if name.startswith("checkpoint") or name.endswith(".json"):
            os.remove(os.path.join(pl.tmp, "data", name))
    r = subprocess.run([netra, "run", "--config", pl.config, "--once"], capture_output=True,
                       text=True, timeout=60)
    n = pl.sink_count()
    ok = r.returncode == 0 and n == len(want)
    print("%s same posts delivered again: %d held (want %d)" % ("PASS" if ok else "FAIL", n,
                                                                 len(want)))
    failures += not ok

    # SIGTERM on a pipeline that keeps running: a clean stop, exit 0.
    p = pl.start("run", "--config", pl.config)
    time.sleep(1.5)
    p.send_signal(signal.SIGTERM)
    try:
        rc = p.wait(timeout=15)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = -1
    ok = rc == 0
    print("%s SIGTERM stops netra run (exit %d)" % ("PASS" if ok else "FAIL", rc))
    failures += not ok

    # Usage errors.
    r = subprocess.run([netra, "run", "--config", pl.config, "--stages", "nope"],
                       capture_output=True, text=True)
    ok = r.returncode == 2 and "--stages" in r.stderr
    print("%s bad --stages is a usage error" % ("PASS" if ok else "FAIL"))
    failures += not ok
    pl.stop_all()
    if failures == 0:
        shutil.rmtree(pl.tmp, ignore_errors=True)
    else:
        print("logs kept in", pl.tmp)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
