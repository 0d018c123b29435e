"""Shared helpers for the collector integration tests: a mock server on
127.0.0.1 and a runner for `netra collect`."""
import json
import os
import shutil
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CREATED = []


def workdir(prefix):
    """A temporary folder, removed by cleanup() when the test passes."""
    d = tempfile.mkdtemp(prefix=prefix)
    CREATED.append(d)
    return d


def cleanup(failed):
    """Remove the test's folders, or name them for a post-mortem."""
    for d in CREATED:
        if failed:
            print('kept for inspection: %s' % d)
        else:
            shutil.rmtree(d, ignore_errors=True)


class Mock:
    def __init__(self, fixtures):
        self.dir = workdir('netra-mock-')
        portfile = os.path.join(self.dir, 'port')
        self.proc = subprocess.Popen(['/usr/bin/python3', os.path.join(HERE, '..', 'mock', 'mock_server.py'),
                                      '--fixtures', fixtures, '--port-file', portfile])
        for _ in range(100):
            if os.path.exists(portfile):
                break
            time.sleep(0.05)
        with open(portfile) as f:
            self.port = int(f.read())
        self.base = 'http://127.0.0.1:%d' % self.port

    def stats(self):
        import urllib.request
        with urllib.request.urlopen(self.base + '/stats', timeout=5) as r:
            return json.loads(r.read())

    def close(self):
        self.proc.kill()
        self.proc.wait()


class Run:
    def __init__(self, netra, workdir):
        self.netra = netra
        self.dir = workdir
        self.out = os.path.join(workdir, 'posts.jsonl')

    def config(self, sources, name='netra.json'):
        path = os.path.join(self.dir, name)
        with open(path, 'w') as f:
            json.dump({'data_dir': 'state', 'sources': sources}, f, indent=1)
        return path

    def collect(self, sources, extra=(), env=None, timeout=120):
        cfg = self.config(sources)
        e = dict(os.environ)
        e.update(env or {})
        p = subprocess.run([self.netra, 'collect', '--config', cfg, '--once', '--out', self.out] + list(extra),
                           capture_output=True, text=True, timeout=timeout, env=e)
        return p.returncode, p.stderr

    def posts(self):
        if not os.path.exists(self.out):
            return []
        with open(self.out) as f:
            return [json.loads(line) for line in f if line.strip()]


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)
