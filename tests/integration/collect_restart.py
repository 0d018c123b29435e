#!/usr/bin/python3
"""Restart test: `netra collect` is killed with SIGKILL at random moments
while it reads a watched folder (and a mock Mastodon and RSS feed), with
new files and half-written lines arriving between kills. A final run
catches up; every post must be in the output exactly once, with no torn
line. Usage: collect_restart.py NETRA FIXTURES_DIR"""
import json
import os
import random
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from collect_common import Mock, Run, check, cleanup, workdir  # noqa: E402

LINES_PER_FILE = 1500


def post(i):
    return json.dumps({'id': 'jsonl:test:%06d' % i, 'source': 'jsonl', 'text': 'post %d #FAHMA2024 ' % i + 'x' * 200,
                       'created_at': '2024-10-05T09:12:00+07:00', 'author': {'handle': 'budi@example'}})


def main():
    netra, fixtures = sys.argv[1], sys.argv[2]
    seed = int(os.environ.get('NETRA_TEST_SEED', str(int(time.time()))))
    rnd = random.Random(seed)
    print('seed %d' % seed)
    mock = Mock(fixtures)
    wd = workdir('netra-restart-')
    inbox = os.path.join(wd, 'inbox')
    os.mkdir(inbox)
    run = Run(netra, wd)
    cfg = run.config([
        {'type': 'jsonl', 'name': 'inbox', 'path': 'inbox', 'interval': 1, 'max_lines': 2000},
        {'type': 'mastodon', 'name': 'm', 'instance': mock.base + '/mastodon', 'hashtags': ['rstats'],
         'interval': 1},
        {'type': 'rss', 'name': 'antara', 'url': mock.base + '/rss/antara.xml', 'interval': 1},
    ])
    n = 0
    kills = 0
    failures = 0
    try:
        pending = None  # a file with a half-written last line
        for round_ in range(10):
            name = os.path.join(inbox, 'batch-%03d.jsonl' % round_)
            with open(name, 'w') as f:
                for _ in range(LINES_PER_FILE):
                    f.write(post(n) + '\n')
                    n += 1
                half = post(n)
                f.write(half[:len(half) // 2])
            if pending is not None:
                with open(pending[0], 'a') as f:
                    f.write(pending[1] + '\n')
            pending = (name, half[len(half) // 2:])
            n += 1
            # Every other run pauses between writing posts and saving their
            # cursors, so that kills also land in that window.
            env = dict(os.environ)
            if round_ % 2 == 0:
                env['NETRA_COLLECT_TEST_PAUSE_MS'] = '200'
            size0 = os.path.getsize(run.out) if os.path.exists(run.out) else 0
            with open(os.path.join(wd, 'killed.log'), 'a') as log:
                p = subprocess.Popen([netra, 'collect', '--config', cfg, '--out', run.out],
                                     stderr=log, env=env)
            if round_ % 2 == 1:
                time.sleep(rnd.uniform(0.02, 0.6))
            else:
                # Kill within the pause: once posts are written (however
                # slow the start is, under sanitizers and load).
                end = time.time() + 10
                while time.time() < end and p.poll() is None and (
                        not os.path.exists(run.out) or os.path.getsize(run.out) <= size0):
                    time.sleep(0.005)
                time.sleep(rnd.uniform(0.0, 0.15))
            p.send_signal(signal.SIGKILL)
            p.wait()
            kills += 1
        with open(pending[0], 'a') as f:
            f.write(pending[1] + '\n')
        p = subprocess.run([netra, 'collect', '--config', cfg, '--once', '--out', run.out],
                           capture_output=True, text=True, timeout=300)
        sys.stderr.write(p.stderr[-2000:])
        check(p.returncode == 0, 'final run exit %d' % p.returncode)
        with open(run.out) as f:
            lines = f.read().split('\n')
        check(lines[-1] == '', 'output does not end with a newline')
        ids = [json.loads(l)['id'] for l in lines[:-1]]
        dups = len(ids) - len(set(ids))
        check(dups == 0, '%d duplicate posts' % dups)
        want = set('jsonl:test:%06d' % i for i in range(n))
        got = set(i for i in ids if i.startswith('jsonl:'))
        check(got == want, '%d posts lost, %d unexpected' % (len(want - got), len(got - want)))
        check(sum(1 for i in ids if i.startswith('mastodon:')) == 2, 'mastodon posts lost or doubled')
        check(sum(1 for i in ids if i.startswith('rss:')) == 1, 'rss post lost or doubled')
        with open(os.path.join(wd, 'killed.log')) as f:
            log = f.read()
        # The paused runs are killed while posts are written but not yet
        # checkpointed: some restarts must have had to cut that tail.
        check(log.count('dropping') + p.stderr.count('dropping') >= 1,
              'no kill landed between writing posts and saving the checkpoint')
        print('%d posts, %d kills (%d restarts cut an unsaved tail, %d polls saved): '
              'no loss, no duplicate' % (len(ids), kills, log.count('dropping') + p.stderr.count('dropping'), log.count('fetched')))
    except AssertionError as e:
        print('FAIL (seed %d): %s' % (seed, e))
        failures += 1
    finally:
        mock.close()
        cleanup(failures > 0)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
