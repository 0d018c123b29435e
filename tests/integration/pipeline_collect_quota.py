#!/usr/bin/env python3
"""A full journal pauses collecting without losing anything: `netra
collect --to` runs with the smallest journal quota (64 KiB) and no
classifier listening, so its journal fills; collecting must pause (and say
so), the journal stay within its quota and the process wait. Then the
classifier and the sink start (with the default quota): collecting resumes (and says so), the
process exits once everything is acknowledged, and the sink holds exactly
the flags `netra classify` gives for the same posts.
Usage: pipeline_collect_quota.py NETRA SOURCE_DIR [POSTS]"""
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pipeline_common import Pipeline, compare, wait_for, write_posts  # noqa: E402

QUOTA = 65536


def journal_bytes(folder):
    return sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder)
               if f.endswith(".jnl"))


def fail(pl, msg):
    print("FAIL", msg, "; logs kept in", pl.tmp)
    pl.stop_all()
    return 1


def main():
    netra, src = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1500
    pl = Pipeline(netra, src, quota=QUOTA, log_level="info")
    write_posts(pl.posts, n, src)
    want = pl.reference()
    t0 = time.time()
    collect = pl.start("collect", "--config", pl.config, "--once", "--to",
                       pl.classify_endpoint())
    log = pl.last_log

    def said(text):
        with open(log, encoding="utf-8") as f:
            return text in f.read()

    if not wait_for(lambda: said("collecting paused"), 20):
        return fail(pl, "collecting did not pause on a full journal")
    time.sleep(1.0)
    used = journal_bytes(os.path.join(pl.tmp, "data", "pipeline", "collect"))
    if used > QUOTA:
        return fail(pl, "the journal holds %d bytes, over its quota of %d" % (used, QUOTA))
    if collect.poll() is not None:
        return fail(pl, "collect exited (%d) while paused" % collect.returncode)
    # The classifier and the sink keep the default quota: this test is
    # about the collect stage's journal.
    with open(pl.config) as f:
        cfg = json.load(f)
    del cfg["journal_quota_bytes"]
    roomy = os.path.join(pl.tmp, "netra-roomy.json")
    with open(roomy, "w") as f:
        json.dump(cfg, f)
    pl.start("sink", "--config", roomy)
    pl.start("classify", "--serve", "--config", roomy)
    if not wait_for(lambda: collect.poll() is not None, 60, 0.1) or collect.returncode != 0:
        return fail(pl, "collect did not finish (exit %s)" % collect.poll())
    if not said("collecting resumes"):
        return fail(pl, "collect did not say that collecting resumed")
    wait_for(lambda: pl.sink_count() >= len(want), 60, 0.2)
    elapsed = time.time() - t0
    pl.stop_all()
    err = compare(pl.sink_list(), want)
    print("%s %d posts, %d flags, quota %d bytes, journal %d bytes while paused, %.1f s%s" %
          ("FAIL" if err else "PASS", n, len(want), QUOTA, used, elapsed,
           ": " + err if err else ""))
    if err:
        print("logs kept in", pl.tmp)
        return 1
    shutil.rmtree(pl.tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
