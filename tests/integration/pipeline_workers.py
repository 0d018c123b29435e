#!/usr/bin/env python3
"""Load sharing: one `netra collect --to EP1 --to EP2` feeds two classifier
workers (`netra classify --serve --listen EPn --worker wn`), which both send
to one sink. The sink ends with exactly the flags `netra classify` gives for
the same posts, none lost and none twice, and both workers took a share.
Usage: pipeline_workers.py NETRA SOURCE_DIR [POSTS]"""
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pipeline_common import Pipeline, compare, wait_for, write_posts  # noqa: E402


def posts_taken(log):
    """Posts a worker classified, from its closing line ("stopped: N post(s)")."""
    m = re.findall(r"stopped: (\d+) post", open(log).read())
    return int(m[-1]) if m else 0


def main():
    netra, src = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    pl = Pipeline(netra, src, log_level="info")
    write_posts(pl.posts, n, src)
    want = pl.reference()
    eps = ["ipc://" + os.path.join(pl.tmp, "w%d.sock" % k) for k in (1, 2)]
    sink = pl.start("sink", "--config", pl.config)
    workers = []
    for k, ep in enumerate(eps, 1):
        workers.append(pl.start("classify", "--serve", "--config", pl.config, "--listen", ep,
                                "--worker", "w%d" % k))
    worker_logs = [os.path.join(pl.tmp, "classify-%d.log" % (k + 1)) for k in range(2)]
    # Round robin is over connected workers: start sending once both listen.
    listening = wait_for(lambda: all(os.path.exists(log) and "listening at" in open(log).read()
                                     for log in worker_logs), 60, 0.1)
    if not listening:
        print("FAIL the workers did not start; logs in %s" % pl.tmp)
        pl.stop_all()
        return 1
    collect = pl.start("collect", "--config", pl.config, "--once", "--to", eps[0], "--to", eps[1])
    ok = wait_for(lambda: collect.poll() is not None, 120, 0.2)
    if not ok or collect.returncode != 0:
        print("FAIL collect did not finish (exit %s); logs in %s" % (collect.poll(), pl.tmp))
        pl.stop_all()
        return 1
    wait_for(lambda: pl.sink_count() >= len(want), 120, 0.3)
    pl.stop_all()
    got = pl.sink_list()
    err = compare(got, want)
    # Both workers took a share (posts travel in batches, round robin).
    shares = [posts_taken(log) for log in worker_logs]
    if not err and not (all(s > 0 for s in shares) and sum(shares) >= n):
        err = "posts per worker %s (want both > 0, %d in all)" % (shares, n)
    print("%s %d posts, %d flags through 2 workers (posts per worker %s)%s" % (
        "FAIL" if err else "PASS", n, len(want), shares, ": " + err if err else ""))
    if err:
        print("logs kept in", pl.tmp, worker_logs)
        return 1
    shutil.rmtree(pl.tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
