"""Helpers for the pipeline's integration tests: a temporary data folder,
a netra.json with ipc:// endpoints inside it, posts, and the reference
flags from `netra classify`. Only ipc:// and 127.0.0.1 are ever used."""
import json
import os
import subprocess
import tempfile
import time


class Pipeline:
    def __init__(self, netra, src, posts_path=None, quota=None, max_lines=None,
                 log_level="warn"):
        self.netra = netra = os.path.abspath(netra)
        self.src = src = os.path.abspath(src)
        self.tmp = tempfile.mkdtemp(prefix="netra-pipe-")
        self.posts = posts_path or os.path.join(self.tmp, "posts.jsonl")
        self.config = os.path.join(self.tmp, "netra.json")
        cfg = {
            "elections": [os.path.join(src, "examples/election-kab-contoh.json")],
            "watchlist": os.path.join(src, "examples/watchlist.jsonl"),
            "data_dir": os.path.join(self.tmp, "data"),
            "classify_endpoint": "ipc://" + os.path.join(self.tmp, "classify.sock"),
            "sink_endpoint": "ipc://" + os.path.join(self.tmp, "sink.sock"),
            "log_level": log_level,
            "sources": [{"type": "jsonl", "name": "posts", "path": self.posts}],
        }
        if max_lines:
            cfg["sources"][0]["max_lines"] = max_lines
        if quota:
            cfg["journal_quota_bytes"] = quota
        with open(self.config, "w") as f:
            json.dump(cfg, f)
        self.procs = []

    def start(self, *args, env=None):
        self.last_log = os.path.join(self.tmp, "%s-%d.log" % (args[0], len(self.procs)))
        log = open(self.last_log, "w")
        p = subprocess.Popen([self.netra] + list(args), stdout=subprocess.DEVNULL, stderr=log,
                             env=dict(os.environ, **(env or {})))
        log.close()
        self.procs.append(p)
        return p

    def classify_endpoint(self):
        with open(self.config) as f:
            return json.load(f)["classify_endpoint"]

    def sink_list(self):
        out = subprocess.run([self.netra, "sink", "--config", self.config, "--list"],
                             check=True, capture_output=True, text=True).stdout
        return [json.loads(line) for line in out.splitlines()]

    def sink_count(self):
        out = subprocess.run([self.netra, "sink", "--config", self.config, "--count"],
                             check=True, capture_output=True, text=True).stdout
        return int(out.strip())

    def reference(self):
        out = subprocess.run([self.netra, "classify", "--config", self.config, self.posts],
                             check=True, capture_output=True, text=True).stdout
        return [json.loads(line) for line in out.splitlines()]

    def stop_all(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def example_posts(src):
    """The valid posts of examples/posts.jsonl."""
    posts = []
    with open(os.path.join(src, "examples/posts.jsonl"), encoding="utf-8") as f:
        for line in f:
            try:
                p = json.loads(line)
            except ValueError:
                continue
            if isinstance(p, dict) and isinstance(p.get("text"), str):
                posts.append(p)
    return posts


def write_posts(path, n, src):
    """n posts with unique ids, cycling through the examples."""
    base = example_posts(src)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            p = dict(base[i % len(base)])
            p["id"] = "%s:gen:%06d" % (p["source"], i)
            f.write(json.dumps(p, ensure_ascii=False) + "\n")


def compare(got, want):
    """Same flags (ignoring arrived_at), none twice. Returns an error or None."""
    ids = [f["post"]["id"] for f in got]
    if len(ids) != len(set(ids)):
        return "the sink holds a post twice"
    g = {f["post"]["id"]: {k: v for k, v in f.items() if k != "arrived_at"} for f in got}
    w = {f["post"]["id"]: f for f in want}
    missing = sorted(set(w) - set(g))
    extra = sorted(set(g) - set(w))
    if missing or extra:
        return "missing %d (%s), unexpected %d (%s)" % (len(missing), missing[:3], len(extra),
                                                          extra[:3])
    for k in w:
        if g[k] != w[k]:
            return "flag for %s differs:\n got %s\nwant %s" % (k, g[k], w[k])
    return None


def wait_for(cond, timeout, step=0.1):
    end = time.time() + timeout
    while time.time() < end:
        if cond():
            return True
        time.sleep(step)
    return cond()
