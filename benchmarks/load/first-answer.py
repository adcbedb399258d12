#!/usr/bin/env python3
"""Start a DNS server and time it from exec to its first correct answer (benchmarks/load/compare.sh).

    first-answer.py PORT NAME EXPECT LIMIT_SECONDS LOGFILE -- COMMAND...

Starts COMMAND (stdout and stderr to LOGFILE), then sends an A query for NAME to 127.0.0.1#PORT
every millisecond (a fresh id each time, from one unconnected socket, so "port unreachable" before
the server binds is not an error) until a reply carries an A record EXPECT. Prints one line,
"PID SECONDS", where SECONDS runs from just before the exec (time.monotonic around fork/exec)
to the arrival of that reply, and leaves the server running. Exits 1 (killing the server) when the
server exits first or LIMIT_SECONDS pass.
"""
import os
import select
import socket
import struct
import subprocess
import sys
import time


def query(qid, name):
    wire = b"".join(bytes([len(label)]) + label.encode() for label in name.rstrip(".").split(".")) + b"\0"
    return struct.pack(">HHHHHH", qid, 0x0000, 1, 0, 0, 0) + wire + struct.pack(">HH", 1, 1)


def skip_name(msg, at):
    while True:
        n = msg[at]
        if n == 0:
            return at + 1
        if n & 0xC0 == 0xC0:
            return at + 2
        at += 1 + n


def answers(msg, expect):
    """True when msg is a NOERROR reply with an A record whose address is expect."""
    if len(msg) < 12:
        return False
    _, flags, qd, an, _, _ = struct.unpack(">HHHHHH", msg[:12])
    if not flags & 0x8000 or flags & 0xF != 0:
        return False
    at = 12
    for _ in range(qd):
        at = skip_name(msg, at) + 4
    for _ in range(an):
        at = skip_name(msg, at)
        rtype, _, _, rdlen = struct.unpack(">HHIH", msg[at:at + 10])
        at += 10
        if rtype == 1 and rdlen == 4 and socket.inet_ntoa(msg[at:at + 4]) == expect:
            return True
        at += rdlen
    return False


def main():
    sep = sys.argv.index("--")
    port, name, expect, limit, logfile = sys.argv[1:sep]
    command = sys.argv[sep + 1:]
    port, limit = int(port), float(limit)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setblocking(False)
    target = ("127.0.0.1", port)
    with open(logfile, "wb") as log:
        start = time.monotonic()
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    qid = 0
    while True:
        qid = (qid + 1) & 0xFFFF
        try:
            sock.sendto(query(qid, name), target)
        except OSError:
            pass
        deadline = time.monotonic() + 0.001
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([sock], [], [], left)
            if not ready:
                break
            try:
                msg = sock.recv(4096)
            except OSError:
                continue
            if answers(msg, expect):
                elapsed = time.monotonic() - start
                print(f"{server.pid} {elapsed:.4f}", flush=True)
                return 0
        if server.poll() is not None:
            print(f"{server.pid} exited with {server.returncode} before answering", file=sys.stderr)
            return 1
        if time.monotonic() - start > limit:
            server.kill()
            print(f"{server.pid} did not answer within {limit} s", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
