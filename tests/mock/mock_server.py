#!/usr/bin/python3
"""Mock platform server for the collector tests: replays the real responses
in ../shared/fixtures and misbehaves on request. Binds 127.0.0.1 only, on a
port chosen by the system, written to the file named by --port-file.

Routes (the first path segment picks the behaviour):
  /mastodon/api/v1/...        Mastodon fixtures (links rewritten to this server);
                              a request with min_id or since_id gets [] (nothing newer)
  /rss/antara.xml             RSS fixture, ETag + conditional GET (304)
  /atom/feed.atom             Atom fixture with its recorded ETag / Last-Modified
  /telegram/s/CHANNEL         Telegram preview page; ?before=N gives an empty page
  /bsky/xrpc/METHOD           Bluesky getAuthorFeed fixture; listRecords (likes, follows),
                              getPosts and getProfiles built from bluesky_searchPosts.json
  /flaky429/N/<route>         the first N requests: 429 with Retry-After: 1
  /flaky503/N/<route>         the first N requests: 503 without Retry-After
  /ratelimit/N/<route>        the first N requests: 429 with X-RateLimit-Remaining: 0 and a
                              Mastodon-style X-RateLimit-Reset 1.5 s ahead (no Retry-After)
  /hang/<route>               never answers within 30 s
  /malformed/<route>          a truncated JSON body
  /big/<route>                a 2 MiB body
  /loop/<route>               a redirect to itself, forever
  /changed/<route>            the same route, but the page shape has changed
  /oneodd/<route>             a JSON array page with one malformed item first
  /noparent/mastodon/...      as /mastodon/, but single statuses are 404 (deleted parents)
  /stats                      JSON: request counts per path, 304s sent, auth headers seen
"""
import argparse
import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

FIX = None
LOCK = threading.Lock()
COUNTS = {}
NOT_MODIFIED = [0]
AUTH = []
AGENTS = set()


def fixture(name):
    with open(os.path.join(FIX, name), 'rb') as f:
        return f.read()


def recorded_headers(name):
    """Headers of a .headers.txt or .http fixture, as (name, value) pairs."""
    out = []
    for line in fixture(name).decode('utf-8').split('\n'):
        line = line.rstrip('\r')
        if line.startswith('#') or line.startswith('HTTP/'):
            continue
        if line == '':
            if out:
                break
            continue
        k, _, v = line.partition(':')
        out.append((k.strip(), v.strip()))
    return out


MASTODON = {
    r'/api/v1/accounts/lookup': ('lookup', None),
    r'/api/v1/accounts/\d+/statuses': ('mastodon_account_statuses.json',
                                       'mastodon_account_statuses.headers.txt'),
    r'/api/v1/timelines/tag/[^/]+': ('mastodon_tag_timeline.json', 'mastodon_tag_timeline.headers.txt'),
    r'/api/v1/timelines/public': ('mastodon_public_timeline_local.json',
                                  'mastodon_public_timeline_local.headers.txt'),
    r'/api/v1/statuses/\d+/favourited_by': ('mastodon_favourited_by.json',
                                            'mastodon_favourited_by.headers.txt'),
    r'/api/v1/statuses/\d+/reblogged_by': ('empty', None),
    r'/api/v1/statuses/\d+': ('mastodon_status.json', 'mastodon_status.headers.txt'),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body=b'', headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def base(self):
        return 'http://127.0.0.1:%d' % self.server.server_address[1]

    def do_GET(self):
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        with LOCK:
            COUNTS[path] = COUNTS.get(path, 0) + 1
            count = COUNTS[path]
            if self.headers.get('Authorization'):
                AUTH.append(self.headers.get('Authorization'))
            AGENTS.add(self.headers.get('User-Agent', ''))
        if path == '/stats':
            return self.send(200, json.dumps({'counts': COUNTS, 'not_modified': NOT_MODIFIED[0],
                                              'auth': AUTH, 'agents': sorted(AGENTS)}).encode())
        parts = path.split('/')
        mode = parts[1] if len(parts) > 1 else ''
        if mode in ('flaky429', 'flaky503'):
            n = int(parts[2])
            rest = '/' + '/'.join(parts[3:])
            if count <= n:
                if mode == 'flaky429':
                    return self.send(429, b'{"error":"Too many requests"}', [('Retry-After', '1')])
                return self.send(503, b'<html>Service Unavailable</html>')
            return self.route(rest, query, path)
        if mode == 'ratelimit':
            n = int(parts[2])
            rest = '/' + '/'.join(parts[3:])
            if count <= n:
                reset = time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(time.time() + 1.5)) + '.000000Z'
                return self.send(429, b'{"error":"Too many requests"}',
                                 [('X-RateLimit-Limit', '300'), ('X-RateLimit-Remaining', '0'),
                                  ('X-RateLimit-Reset', reset)])
            return self.route(rest, query, path)
        if mode == 'hang':
            time.sleep(30)
            return self.send(200, b'[]')
        if mode == 'loop':
            return self.send(302, b'', [('Location', path)])
        if mode == 'big':
            return self.send(200, b'[' + b' ' * (2 * 1024 * 1024) + b']')
        if mode == 'malformed':
            body, _ = self.body_for('/' + '/'.join(parts[2:]), query)
            return self.send(200, body[:len(body) // 2], [('Content-Type', 'application/json')])
        if mode == 'noparent':
            if re.fullmatch(r'/noparent/mastodon/api/v1/statuses/\d+', path):
                return self.send(404, b'{"error":"Record not found"}')
            return self.route('/' + '/'.join(parts[2:]), query, path)
        if mode == 'oneodd':
            body, headers = self.body_for('/' + '/'.join(parts[2:]), query)
            return self.send(200, b'[{"id": 7}, ' + body.lstrip()[1:], headers)
        if mode == 'changed':
            return self.route('/' + '/'.join(parts[2:]), query, path, changed=True)
        return self.route(path, query, path)

    def body_for(self, path, query):
        if path.startswith('/mastodon/'):
            sub = path[len('/mastodon'):]
            for pat, (name, hdrs) in MASTODON.items():
                if re.fullmatch(pat, sub):
                    if name == 'lookup':
                        return json.dumps({'id': '109302436954721982',
                                           'acct': query.get('acct', [''])[0]}).encode(), []
                    if name == 'mastodon_account_statuses.json' and 'min_id' in query:
                        # Mastodon's min_id: the statuses just newer than it,
                        # newest first, and a prev link to the page after.
                        limit = int(query.get('limit', ['20'])[0])
                        mid = int(query['min_id'][0])
                        sts = sorted((st for st in json.loads(fixture(name)) if int(st['id']) > mid),
                                     key=lambda st: int(st['id']))[:limit]
                        sts.reverse()
                        headers = [('Content-Type', 'application/json; charset=utf-8')]
                        if sts:
                            headers.append(('Link', '<%s/mastodon%s?limit=%d&min_id=%s>; rel="prev"'
                                            % (self.base(), sub, limit, sts[0]['id'])))
                        return json.dumps(sts).encode(), headers
                    if name == 'empty' or 'min_id' in query or 'since_id' in query:
                        return b'[]', [('Content-Type', 'application/json; charset=utf-8')]
                    headers = []
                    for k, v in recorded_headers(hdrs):
                        if k.lower() in ('link', 'content-type', 'etag', 'x-ratelimit-limit'):
                            v = re.sub(r'https://[a-z.]+', self.base() + '/mastodon', v) if k.lower() == 'link' else v
                            headers.append((k, v))
                    return fixture(name), headers
            return None, None
        return None, None

    def bluesky(self, method, query):
        return bluesky_method(method, query)

    def route(self, path, query, full, changed=False):
        if path.startswith('/mastodon/'):
            body, headers = self.body_for(path, query)
            if body is None:
                return self.send(404, b'{"error":"Record not found"}')
            if changed:
                body = json.dumps({'data': json.loads(body)}).encode()
            return self.send(200, body, headers)
        if path == '/rss/antara.xml':
            etag = '"antara-1"'
            if self.headers.get('If-None-Match') == etag:
                NOT_MODIFIED[0] += 1
                return self.send(304, b'', [('ETag', etag)])
            body = fixture('rss_antaranews_terkini.xml')
            if changed:
                body = b'<!DOCTYPE html><html><body><h1>Berita</h1></body></html>'
            return self.send(200, body, [('Content-Type', 'application/rss+xml'), ('ETag', etag)])
        if path == '/atom/feed.atom':
            raw = fixture('atom_gnusocial_feed_with_etag.http').decode('utf-8')
            head, _, body = raw.partition('\n\n')
            hdrs = dict((k.lower(), v) for k, v in recorded_headers('atom_gnusocial_feed_with_etag.http'))
            if (self.headers.get('If-None-Match') == hdrs['etag'] or
                    self.headers.get('If-Modified-Since') == hdrs['last-modified']):
                NOT_MODIFIED[0] += 1
                return self.send(304, b'', [('ETag', hdrs['etag'])])
            return self.send(200, body.encode('utf-8'), [('Content-Type', 'application/atom+xml'),
                                                         ('ETag', hdrs['etag']),
                                                         ('Last-Modified', hdrs['last-modified'])])
        if path.startswith('/bsky/xrpc/'):
            body = self.bluesky(path[len('/bsky/xrpc/'):], query)
            if body is None:
                return self.send(400, b'{"error":"InvalidRequest","message":"unknown method"}')
            if changed:
                body = json.dumps({'items': json.loads(body)}).encode()
            return self.send(200, body, [('Content-Type', 'application/json')])
        if path.startswith('/telegram/s/'):
            if 'before' in query:
                return self.send(200, b'<html><body><section class="tgme_channel_history js-message_history">'
                                 b'</section></body></html>', [('Content-Type', 'text/html')])
            body = fixture('telegram_channel_preview.html')
            if changed:
                body = b'<html><body><div class="tgme_page">Preview unavailable</div></body></html>'
            return self.send(200, body, [('Content-Type', 'text/html; charset=utf-8')])
        return self.send(404, b'not found')


def bluesky_method(method, query):
    """Bluesky XRPC: getAuthorFeed replays the fixture; likes, follows,
    getPosts and getProfiles are constructed from bluesky_searchPosts.json
    (there is no recorded listRecords response)."""
    search = json.loads(fixture('bluesky_searchPosts.json'))['posts']
    if method == 'app.bsky.feed.getAuthorFeed':
        if 'cursor' in query:
            return json.dumps({'feed': []}).encode()
        return fixture('bluesky_getAuthorFeed.json')
    if method == 'com.atproto.repo.listRecords':
        repo = query.get('repo', [''])[0]
        coll = query.get('collection', [''])[0]
        if coll == 'app.bsky.feed.like':
            recs = [{'uri': 'at://%s/app.bsky.feed.like/3lm%04d' % (repo, i), 'cid': 'bafy%d' % i,
                     'value': {'$type': 'app.bsky.feed.like', 'createdAt': '2025-04-0%dT10:00:00.000Z' % (i + 1),
                               'subject': {'uri': p['uri'], 'cid': p['cid']}}}
                    for i, p in enumerate(search[:2])]
        elif coll == 'app.bsky.graph.follow':
            recs = [{'uri': 'at://%s/app.bsky.graph.follow/3ln0001' % repo, 'cid': 'bafyf',
                     'value': {'$type': 'app.bsky.graph.follow', 'createdAt': '2025-04-03T10:00:00.000Z',
                               'subject': search[2]['author']['did']}}]
        else:
            return None
        recs.reverse()  # newest first, as the PDS lists them
        return json.dumps({'records': recs}).encode()
    if method == 'app.bsky.feed.getPosts':
        uris = query.get('uris', [])
        return json.dumps({'posts': [p for p in search if p['uri'] in uris]}).encode()
    if method == 'app.bsky.actor.getProfiles':
        dids = query.get('actors', [])
        profs = [dict(p['author'], description='Akun resmi') for p in search if p['author']['did'] in dids]
        return json.dumps({'profiles': profs}).encode()
    return None


def main():
    global FIX
    ap = argparse.ArgumentParser()
    ap.add_argument('--fixtures', required=True)
    ap.add_argument('--port-file', required=True)
    a = ap.parse_args()
    FIX = a.fixtures
    srv = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    # A client that gives up (timeout, body too big) is expected here.
    srv.handle_error = lambda request, client_address: None
    srv.daemon_threads = True
    tmp = a.port_file + '.tmp'
    with open(tmp, 'w') as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
