"""Shared set-up of the review integration tests: a temporary data folder,
a netra.json pointing at the examples, the example flags, and a runner."""
import json
import os
import subprocess
import tempfile

PASSED = [0]
FAILED = [0]


def check(name, cond, detail=""):
    if cond:
        PASSED[0] += 1
    else:
        FAILED[0] += 1
        print("FAIL %s %s" % (name, detail))


def finish():
    print("%d passed, %d failed" % (PASSED[0], FAILED[0]))
    return 1 if FAILED[0] else 0


class Env:
    def __init__(self, netra, top):
        self.netra, self.top = netra, top
        self.tmp = tempfile.mkdtemp(prefix="netra-review-")
        ex = os.path.join(top, "examples")
        self.data = os.path.join(self.tmp, "data")
        self.config = os.path.join(self.tmp, "netra.json")
        with open(self.config, "w", encoding="utf-8") as f:
            json.dump({"elections": [os.path.join(ex, "election-kab-contoh.json")],
                       "watchlist": os.path.join(ex, "watchlist.jsonl"),
                       "rules": os.path.join(top, "rules"),
                       "data_dir": self.data}, f)
        self.flags = os.path.join(self.tmp, "flags.jsonl")
        p = subprocess.run([netra, "classify", "--config", self.config,
                            os.path.join(ex, "posts.jsonl")], capture_output=True,
                           text=True, encoding="utf-8")
        with open(self.flags, "w", encoding="utf-8") as f:
            f.write(p.stdout)

    def run(self, *args, reviewer="ani", stdin=None):
        env = dict(os.environ)
        env.pop("NETRA_REVIEWER", None)
        if reviewer:
            env["NETRA_REVIEWER"] = reviewer
        argv = [self.netra] + list(args[:2]) + ["--config", self.config] + list(args[2:])
        return subprocess.run(argv, capture_output=True, text=True, encoding="utf-8",
                              env=env, input=stdin)

    def json(self, *args):
        p = self.run(*args, "--json")
        return json.loads(p.stdout) if p.returncode == 0 else None

    def flag_lines(self):
        return [json.loads(l) for l in open(self.flags, encoding="utf-8")]
