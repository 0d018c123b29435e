#!/usr/bin/env python3
"""The wire format (docs/wire.md) read and written by a ZeroMQ client that is
not Netra (Debian's python3-zmq): it feeds posts to `netra classify --serve`
as a collector would, and stands in for the sink, reading the flags,
acknowledging them, and checking that an unacknowledged flag is resent.
Usage: pipeline_wire.py NETRA SOURCE_DIR"""
import json
import os
import shutil
import sys
import time

import zmq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pipeline_common import Pipeline, compare, write_posts  # noqa: E402


def pack(*fields):
    """A message as it travels: one frame of netstrings (docs/wire.md)."""
    return b"".join(b"%d:%s," % (len(f), f) for f in fields)


def unpack(frame):
    fields = []
    while frame:
        n, rest = frame.split(b":", 1)
        n = int(n)
        assert rest[n:n + 1] == b",", frame
        fields.append(rest[:n])
        frame = rest[n + 1:]
    return fields


def main():
    netra, src = sys.argv[1], sys.argv[2]
    pl = Pipeline(netra, src)
    write_posts(pl.posts, 40, src)
    want = pl.reference()
    ctx = zmq.Context()
    sink = ctx.socket(zmq.ROUTER)
    sink.bind("ipc://" + os.path.join(pl.tmp, "sink.sock"))
    classify = pl.start("classify", "--serve", "--config", pl.config)
    coll = ctx.socket(zmq.DEALER)
    coll.connect("ipc://" + os.path.join(pl.tmp, "classify.sock"))
    posts = open(pl.posts, encoding="utf-8").read().splitlines()
    for i, line in enumerate(posts):
        coll.send(pack(b"DATA", str(1000 + i).encode(), b"post", line.encode(),
                       str(int(time.time() * 1e6)).encode()))
    coll.send(pack(b"DATA", b"5000", b"post", b"{not json", b"0"))
    acked = set()
    flags = {}
    first = {}
    withheld = None
    resent = False
    poller = zmq.Poller()
    poller.register(sink, zmq.POLLIN)
    poller.register(coll, zmq.POLLIN)
    end = time.time() + 30
    while time.time() < end:
        if len(acked) == len(posts) + 1 and len(flags) == len(want) and resent:
            break
        for sock, _ in poller.poll(200):
            parts = sock.recv_multipart()
            if sock is coll:
                assert len(parts) == 1, parts
                fields = unpack(parts[0])
                assert fields[0] in (b"ACK", b"PONG"), fields
                if fields[0] == b"ACK":
                    acked.update(int(f) for f in fields[1:])
                continue
            assert len(parts) == 2, parts  # the ROUTER's identity, then one frame
            ident, fields = parts[0], unpack(parts[1])
            cmd = fields[0]
            if cmd == b"PING":
                sink.send_multipart([ident, pack(b"PONG", fields[1])])
                continue
            assert cmd == b"DATA" and len(fields) == 5, fields
            seq, kind, payload = int(fields[1]), fields[2], fields[3]
            assert kind == b"flag"
            flag = json.loads(payload)
            pid = flag["post"]["id"]
            if withheld is None:
                withheld = seq
                first[seq] = time.time()
                continue  # no ACK: it must come again
            if seq == withheld:
                resent = True
            flags[pid] = flag
            sink.send_multipart([ident, pack(b"ACK", str(seq).encode())])
    failures = 0
    ok = len(acked) == len(posts) + 1 and 5000 in acked
    print("%s classify acknowledged %d of %d posts (and the malformed one)" %
          ("PASS" if ok else "FAIL", len(acked), len(posts) + 1))
    failures += not ok
    print("%s an unacknowledged flag is resent" % ("PASS" if resent else "FAIL"))
    failures += not resent
    err = compare(list(flags.values()), want)
    print("%s flags read off the wire are those of netra classify%s" %
          ("FAIL" if err else "PASS", ": " + err if err else ""))
    failures += bool(err)
    pl.stop_all()
    ok = classify.returncode == 0
    print("%s SIGTERM stops classify --serve (exit %d)" % ("PASS" if ok else "FAIL",
                                                          classify.returncode))
    failures += not ok
    coll.close(0)
    sink.close(0)
    ctx.term()
    if failures:
        print("logs kept in", pl.tmp)
        return 1
    shutil.rmtree(pl.tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
