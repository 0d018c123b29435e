#!/usr/bin/env python3
"""Reliability of the collect process itself: `netra collect --to` streams
posts (100 lines per poll, so that many polls commit) into `netra classify
--serve` and `netra sink`, joined over ipc://, and is killed with SIGKILL
at random moments, several times, and restarted. NETRA_COLLECT_TEST_PAUSE_MS
holds each poll between the journal's fsync and the checkpoint's save, so
that kills land there too. At the end the sink holds exactly the flags
`netra classify` gives for the same posts: none lost, none twice.
Usage: pipeline_collect_kill.py NETRA SOURCE_DIR [POSTS]"""
import os
import random
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pipeline_common import Pipeline, compare, wait_for, write_posts  # noqa: E402

KILLS = 8


def main():
    netra, src = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
    seed = int(os.environ.get("NETRA_TEST_SEED", time.time()))
    rnd = random.Random(seed)
    pl = Pipeline(netra, src, max_lines=100)
    write_posts(pl.posts, n, src)
    want = pl.reference()
    ep = pl.classify_endpoint()
    t0 = time.time()
    pl.start("sink", "--config", pl.config)
    pl.start("classify", "--serve", "--config", pl.config)
    env = {"NETRA_COLLECT_TEST_PAUSE_MS": "50"}
    kills = 0
    finished = False
    while kills < KILLS and not finished:
        collect = pl.start("collect", "--config", pl.config, "--once", "--to", ep, env=env)
        time.sleep(rnd.uniform(0.1, 0.6))
        if collect.poll() is not None:
            finished = collect.returncode == 0
            if not finished:
                print("FAIL collect exited %d before the kill; logs in %s" %
                      (collect.returncode, pl.tmp))
                pl.stop_all()
                return 1
            continue
        collect.send_signal(signal.SIGKILL)
        collect.wait()
        kills += 1
    # The last run, undisturbed, catches up and waits for every ACK.
    collect = pl.start("collect", "--config", pl.config, "--once", "--to", ep)
    if not wait_for(lambda: collect.poll() is not None, 60, 0.1) or collect.returncode != 0:
        print("FAIL the last collect did not finish (exit %s); logs in %s" %
              (collect.poll(), pl.tmp))
        pl.stop_all()
        return 1
    wait_for(lambda: pl.sink_count() >= len(want), 60, 0.2)
    elapsed = time.time() - t0
    pl.stop_all()
    got = pl.sink_list()
    err = compare(got, want)
    if not err and kills < 3:
        err = "only %d kill(s) landed before collecting finished" % kills
    print("%s %d posts, %d flags, %d collect SIGKILLs (seed %d), %.1f s%s" %
          ("FAIL" if err else "PASS", n, len(want), kills, seed, elapsed,
           ": " + err if err else ""))
    if err:
        print("logs kept in", pl.tmp)
        return 1
    shutil.rmtree(pl.tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
