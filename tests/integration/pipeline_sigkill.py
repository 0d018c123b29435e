#!/usr/bin/env python3
"""Reliability: 10,000 posts flow through collect -> classify -> sink as
three processes joined over ipc://, while the classifier and the sink are
each killed with SIGKILL at random moments, several times, and restarted.
At the end the sink holds exactly the flags `netra classify` gives for
the same posts: none lost, none twice.
Usage: pipeline_sigkill.py NETRA SOURCE_DIR [POSTS]"""
import os
import random
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pipeline_common import Pipeline, compare, wait_for, write_posts  # noqa: E402


def main():
    netra, src = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    rnd = random.Random(int(os.environ.get("NETRA_TEST_SEED", time.time())))
    pl = Pipeline(netra, src)
    write_posts(pl.posts, n, src)
    want = pl.reference()
    t0 = time.time()
    sink = pl.start("sink", "--config", pl.config)
    classify = pl.start("classify", "--serve", "--config", pl.config)
    collect = pl.start("run", "--stages", "collect", "--once", "--config", pl.config)
    kills = {"sink": 0, "classify": 0}
    # Kill while the posts flow: until the collector has delivered all
    # and for a while after, at random moments.
    deadline = time.time() + 90
    while kills["sink"] + kills["classify"] < 8 and time.time() < deadline:
        time.sleep(rnd.uniform(0.2, 1.2))
        which = rnd.choice(["sink", "classify"])
        p = sink if which == "sink" else classify
        p.send_signal(signal.SIGKILL)
        p.wait()
        kills[which] += 1
        time.sleep(rnd.uniform(0.0, 0.3))
        if which == "sink":
            sink = pl.start("sink", "--config", pl.config)
        else:
            classify = pl.start("classify", "--serve", "--config", pl.config)
    ok = wait_for(lambda: collect.poll() is not None, 120, 0.2)
    if not ok or collect.returncode != 0:
        print("FAIL the collect stage did not finish (exit %s); logs in %s" %
              (collect.poll(), pl.tmp))
        pl.stop_all()
        return 1
    # Everything the collector delivered is in the classifier's journal
    # or the sink; wait for the sink to hold it all.
    wait_for(lambda: pl.sink_count() >= len(want), 120, 0.3)
    elapsed = time.time() - t0
    pl.stop_all()
    got = pl.sink_list()
    err = compare(got, want)
    print("%s %d posts, %d flags, %d classifier and %d sink SIGKILLs, %.1f s%s" %
          ("FAIL" if err else "PASS", n, len(want), kills["classify"], kills["sink"], elapsed,
           ": " + err if err else ""))
    if err:
        print("logs kept in", pl.tmp)
        return 1
    shutil.rmtree(pl.tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
