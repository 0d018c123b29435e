#!/usr/bin/python3
"""Collectors against a mock server replaying real platform responses:
Mastodon, RSS and Atom (with conditional GET), and the failure modes —
429 with Retry-After, a burst of 503s, a hanging server (timeout),
malformed JSON, an oversized body, a redirect loop, a changed page shape.
Usage: collect_http.py NETRA FIXTURES_DIR"""
import collections
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from collect_common import Mock, Run, check, cleanup, workdir  # noqa: E402


def line_for(stderr, name):
    lines = [l for l in stderr.splitlines() if '[source:' + name + ']' in l and 'fetched' in l]
    return lines[-1] if lines else ''


def main():
    netra, fixtures = sys.argv[1], sys.argv[2]
    mock = Mock(fixtures)
    failures = 0
    try:
        b = mock.base
        fast = {'backoff_ms': 50, 'timeout_ms': 2000}

        # 1. The happy path, all sources at once.
        run = Run(netra, workdir('netra-collect-'))
        sources = [
            dict(type='mastodon', name='m', instance=b + '/mastodon', accounts=['schochastics'],
                 hashtags=['rstats'], statuses=['114620457512351116'], token_env='NETRA_TEST_TOKEN', **fast),
            dict(type='rss', name='antara', url=b + '/rss/antara.xml', **fast),
            dict(type='rss', name='atom', url=b + '/atom/feed.atom', **fast),
            dict(type='telegram', name='tg', channel='xCareers', base_url=b + '/telegram', **fast),
            dict(type='bluesky', name='bsky', actors=['yomguithereal.bsky.social'], service=b + '/bsky',
                 pds=b + '/bsky', **fast),
        ]
        rc, err = run.collect(sources, env={'NETRA_TEST_TOKEN': 's3cr3t-token-xyz',
                                            'NETRA_CONTACT': 'pengawasan@example.go.id'})
        sys.stderr.write(err)
        check(rc == 0, 'happy path exit %d' % rc)
        agents = mock.stats()['agents']
        agents = [a for a in agents if not a.startswith('Python-urllib')]  # the test's own /stats calls
        check(agents and all(a.startswith('Netra/') and 'pengawasan@example.go.id' in a for a in agents),
              'User-Agent: %s' % agents)
        posts = run.posts()
        ids = [p['id'] for p in posts]
        check(len(ids) == len(set(ids)), 'duplicate ids in output')
        bysrc = collections.Counter(p['source'] for p in posts)
        check(bysrc['mastodon'] == 3 + 2 + 2, 'mastodon posts: %s' % bysrc)
        check(bysrc['rss'] >= 1 + 2, 'rss posts: %s' % bysrc)
        first = [p for p in posts if p['id'] == 'mastodon:fosstodon.org:114620457512351116']
        check(first and first[0]['author']['handle'] == 'schochastics@127.0.0.1'
              or first and first[0]['author']['handle'].startswith('schochastics@'), 'status id from uri')
        check('<' not in first[0]['text'] and 'R Consortium grant' in first[0]['text'], 'html to text')
        check(first[0]['tags'] == ['rstats'], 'tags')
        alts = [m['alt'] for p in posts for m in p.get('media', [])]
        check(any('url-peek' in a for a in alts), 'media description becomes alt')
        likes = [p for p in posts if p.get('act') == 'like' and p['source'] == 'mastodon']
        check(len(likes) == 2 and likes[0]['ref']['id'].startswith('mastodon:'), 'favourited_by gives likes')
        reply = [p for p in posts if p.get('act') == 'comment' and p['source'] == 'mastodon']
        check(reply and 'R Consortium' in reply[0]['ref']['text'], 'a reply is a comment with its parent as ref')
        antara = [p for p in posts if p['id'].startswith('rss:127.0.0.1:https://www.antaranews.com/')]
        check(antara and antara[0]['created_at'] == '2021-04-20T13:37:35+07:00', 'rss pubDate converted')
        check('Parler' in antara[0]['text'] and 'App Store' in antara[0]['text'], 'rss text')
        tg = [p for p in posts if p['source'] == 'telegram']
        check(len(tg) == 1 and tg[0]['id'] == 'telegram:t.me:xCareers/1491', 'telegram post: %s' % tg)
        check(tg[0]['created_at'] == '2020-04-30T17:00:04+00:00' and '#ios' in tg[0]['text']
              and 'ios' in tg[0]['tags'] and tg[0]['author']['handle'] == 'xCareers', 'telegram fields')
        bs = [p for p in posts if p['source'] == 'bluesky']
        acts = collections.Counter(p.get('act') for p in bs)
        check(acts == {'share': 2, 'comment': 1, 'like': 2, 'follow': 1}, 'bluesky acts: %s' % acts)
        reply = [p for p in bs if p.get('act') == 'comment'][0]
        check(reply['ref']['id'] == 'bluesky:bsky.social:at://did:plc:oqynptsozcuxi52v5srdwau2/app.bsky.feed.post/3lloyjul7ec2u',
              'reply parent as ref')
        share = [p for p in bs if p.get('act') == 'share' and 'bearstech' in p['ref']['url']]
        check(share and share[0]['author']['handle'] == 'yomguithereal.bsky.social', 'repost by the watched account')
        like = [p for p in bs if p.get('act') == 'like']
        check(all(l['ref'].get('text') and l['ref']['id'].startswith('bluesky:bsky.social:at://') for l in like),
              'liked posts fetched as ref: %s' % like)
        follow = [p for p in bs if p.get('act') == 'follow'][0]
        check(follow['ref']['author']['handle'] and follow['ref']['text'] == 'Akun resmi', 'followed account as ref')
        check('s3cr3t-token-xyz' not in err, 'the token appears in the logs')
        st = mock.stats()
        check(any(a == 'Bearer s3cr3t-token-xyz' for a in st['auth']), 'token not sent')
        for name in ('mastodon:m', 'rss:antara', 'rss:atom', 'telegram:tg', 'bluesky:bsky'):
            check('errors 0' in line_for(err, name), 'progress line for %s' % name)

        # 2. The second poll: conditional GET and min_id give nothing new.
        before = len(posts)
        nm = mock.stats()['not_modified']
        rc, err = run.collect(sources, env={'NETRA_TEST_TOKEN': 's3cr3t-token-xyz'})
        sys.stderr.write(err)
        check(rc == 0, 'second poll exit %d' % rc)
        check(len(run.posts()) == before, 'second poll added posts')
        check(mock.stats()['not_modified'] >= nm + 2, 'conditional GET not used')

        # 3. Failures: each source fails its own way, the healthy one goes on.
        run = Run(netra, workdir('netra-collect-'))
        failing = [
            dict(type='rss', name='ok', url=b + '/rss/antara.xml', **fast),
            dict(type='rss', name='r429', url=b + '/flaky429/2/rss/antara.xml', **fast),
            dict(type='mastodon', name='r503', instance=b + '/flaky503/3/mastodon', hashtags=['rstats'], **fast),
            dict(type='rss', name='hang', url=b + '/hang/rss/antara.xml', backoff_ms=50, timeout_ms=500,
                 max_retries=1),
            dict(type='mastodon', name='malformed', instance=b + '/malformed/mastodon', hashtags=['rstats'],
                 **fast),
            dict(type='mastodon', name='big', instance=b + '/big/mastodon', hashtags=['rstats'],
                 max_body=65536, **fast),
            dict(type='rss', name='loop', url=b + '/loop/x', **fast),
            dict(type='mastodon', name='changedm', instance=b + '/changed/mastodon', hashtags=['rstats'],
                 **fast),
            dict(type='rss', name='changedr', url=b + '/changed/rss/antara.xml', **fast),
            dict(type='telegram', name='changedt', channel='xCareers', base_url=b + '/changed/telegram', **fast),
            dict(type='mastodon', name='oneodd', instance=b + '/oneodd/mastodon', hashtags=['rstats'], **fast),
            dict(type='bluesky', name='changedb', actors=['x.bsky.social'], service=b + '/changed/bsky',
                 pds=b + '/bsky', likes=0, follows=0, **fast),
        ]
        t0 = time.time()
        rc, err = run.collect(failing)
        took = time.time() - t0
        sys.stderr.write(err)
        check(rc == 1, 'failures should exit 1, got %d' % rc)
        check(took >= 2.0, '429 Retry-After: 1 twice should take >= 2 s, took %.2f' % took)
        check(took < 20, 'failures took too long: %.1f s' % took)
        st = mock.stats()['counts']
        check(st.get('/flaky429/2/rss/antara.xml') == 3, '429: expected 3 requests, %s' % st)
        check(st.get('/flaky503/3/mastodon/api/v1/timelines/tag/rstats') == 4, '503: expected 4 requests')
        # Under load the server may not have read the second request before
        # the client gave up, so the client's own count is the reference.
        check('hang/rss/antara.xml: Timeout was reached (gave up after 2 attempts)' in err,
              'hang: expected 2 attempts (1 retry)')
        posts = run.posts()
        names = collections.Counter(p['source'] for p in posts)
        check(names['rss'] == 1 and names['mastodon'] == 2, 'healthy sources: %s' % names)
        expect = {
            'rss:ok': 'errors 0',
            'rss:r429': 'errors 0',
            'mastodon:r503': 'errors 0',
            'rss:hang': 'errors 1',
            'mastodon:malformed': 'errors 1',
            'mastodon:big': 'errors 1',
            'rss:loop': 'errors 1',
            'mastodon:changedm': 'errors 1',
            'rss:changedr': 'errors 1',
            'telegram:changedt': 'errors 1',
            'bluesky:changedb': 'errors 1',
            'mastodon:oneodd': 'fetched 3, new 0, duplicates 2, errors 1',
        }
        for name, want in expect.items():
            check(want in line_for(err, name), '%s: want "%s" in "%s"' % (name, want, line_for(err, name)))
        for needle in ('Timeout was reached', 'malformed JSON', 'larger than 65536 bytes',
                       'more than 5 redirects', 'expected an array of statuses',
                       'not an RSS or Atom feed', 'not a channel preview page',
                       'no "feed" array (has the API changed?)',
                       '/api/v1/timelines/tag/rstats: item 0 skipped: not a Mastodon status'):
            check(needle in err, 'missing clear error: %s' % needle)

        # 4. Polling with min_id, paging with the Link header: from a saved
        # cursor, one status per page, until an empty page.
        run = Run(netra, workdir('netra-collect-'))
        os.makedirs(os.path.join(run.dir, 'state', 'collect'))
        with open(os.path.join(run.dir, 'state', 'collect', 'checkpoint.json'), 'w') as f:
            json.dump({'version': 1, 'cursors': {'m': {'acct:109302436954721982': '113758502912504745'}}}, f)
        rc, err = run.collect([dict(type='mastodon', name='m', instance=b + '/mastodon',
                                    accounts=['109302436954721982'], limit=1, **fast)])
        sys.stderr.write(err)
        ids = [p['id'] for p in run.posts()]
        check(rc == 0 and ids == ['mastodon:fosstodon.org:114026814291152535',
                                  'mastodon:fosstodon.org:114620457512351116'], 'min_id paging: %s' % ids)
        with open(os.path.join(run.dir, 'state', 'collect', 'checkpoint.json')) as f:
            cur = json.load(f)['cursors']['m']
        check(cur['acct:109302436954721982'] == '114620457512351116', 'cursor after paging: %s' % cur)
        pages = [k for k in mock.stats()['counts'] if k == '/mastodon/api/v1/accounts/109302436954721982/statuses']
        check(pages, 'paging requests not seen')

        # A reply whose parent is gone (404) is still collected, with the
        # parent's id as ref.
        run = Run(netra, workdir('netra-collect-'))
        rc, err = run.collect([dict(type='mastodon', name='np', instance=b + '/noparent/mastodon',
                                    accounts=['109302436954721982'], **fast)])
        sys.stderr.write(err)
        reply = [p for p in run.posts() if p.get('act') == 'comment']
        check(rc == 0 and len(run.posts()) == 3 and reply
              and reply[0]['ref']['id'] == 'mastodon:127.0.0.1:113758013821835772', 'deleted parent: %s' % reply)

        # 5. Rate-limit headers without Retry-After: wait until the reset.
        run = Run(netra, workdir('netra-collect-'))
        t0 = time.time()
        rc, err = run.collect([dict(type='mastodon', name='rl', instance=b + '/ratelimit/1/mastodon',
                                    hashtags=['rstats'], **fast)])
        took = time.time() - t0
        sys.stderr.write(err)
        check(rc == 0 and len(run.posts()) == 2, 'rate limit: exit %d, %d posts' % (rc, len(run.posts())))
        check(took >= 0.5, 'rate limit: retried after %.2f s, before the reset' % took)
        check(mock.stats()['counts'].get('/ratelimit/1/mastodon/api/v1/timelines/tag/rstats') == 2,
              'rate limit: expected 2 requests')

        # 6. Without --once: a source that keeps failing is reported, the
        # healthy one goes on polling, and SIGTERM stops cleanly.
        run = Run(netra, workdir('netra-collect-'))
        cfg = run.config([dict(type='rss', name='ok', url=b + '/rss/antara.xml', interval=1, **fast),
                          dict(type='rss', name='loop', url=b + '/loop/y', interval=1, **fast)])
        import signal
        import subprocess
        p = subprocess.Popen([netra, 'collect', '--config', cfg, '--out', run.out],
                             stderr=subprocess.PIPE, text=True)
        time.sleep(4.5)
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=30)
        sys.stderr.write(err)
        check(p.returncode == 1, 'loop mode exit %d' % p.returncode)
        check('[collect:rss:loop] error: has failed 3 polls in a row; the other sources go on' in err,
              'a failing source is not reported')
        check(err.count('[source:rss:ok] fetched') >= 3, 'the healthy source stopped polling')
        check(len(run.posts()) == 1, 'loop mode: posts %d' % len(run.posts()))
    except AssertionError as e:
        print('FAIL: %s' % e)
        failures += 1
    finally:
        mock.close()
        cleanup(failures > 0)
    print('collect_http: %s' % ('ok' if failures == 0 else 'FAILED'))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
