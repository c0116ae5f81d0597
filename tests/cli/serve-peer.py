#!/usr/bin/python3
# serve-peer.py - the other end of `invgen serve`'s socket, for
# t0151-serve-trust.sh:
#
#   serve-peer.py fake SOCKET JSON LOG
#       a fake server: listens on SOCKET and answers every connection
#       "ok" with the made-up JSON (a file), as a real server answers a
#       call; what each caller sent (its length, then the bytes, escaped)
#       is appended to LOG, one line per connection.  Runs until killed.
#   serve-peer.py slow SOCKET N SECONDS READY
#       N slow connections: each sends one byte of a request every 0.2 s
#       and never finishes it; the file READY is made once all are
#       connected; stops after SECONDS.
import os
import socket
import sys
import time


def fake(path, json_file, log):
    with open(json_file, "rb") as f:
        answer = b"ok\0" + b"0\0" + f.read().strip() + b"\0"
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    os.chmod(path, 0o777)
    s.listen(16)
    with open(log, "a") as f:
        f.write("listening\n")
    while True:
        c, _ = s.accept()
        c.settimeout(0.5)
        got = b""
        try:
            while True:
                b = c.recv(4096)
                if not b:
                    break
                got += b
        except (socket.timeout, OSError):
            pass
        try:
            c.sendall(answer)
        except OSError:
            pass
        c.close()
        with open(log, "a") as f:
            f.write("%d %r\n" % (len(got), got))


def slow(path, n, seconds, ready):
    conns = []
    for _ in range(n):
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(path)
        c.send(b"i")
        conns.append(c)
    open(ready, "w").close()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for c in conns:
            try:
                c.send(b"i")
            except OSError:
                pass
        time.sleep(0.2)


if sys.argv[1] == "fake":
    fake(sys.argv[2], sys.argv[3], sys.argv[4])
else:
    slow(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
