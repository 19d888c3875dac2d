#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Client and server sides of the HTTP captures that curl, nginx and
Chromium cannot make on their own. Run by make_captures.sh while tcpdump
records the port; every socket has a timeout and every loop a bound, so a
scenario ends within seconds even when the other side misbehaves. Loopback
only (127.0.0.1).

Usage: scenarios.py NAME PORT [ARG]
  pipelined PORT        four requests in one send() to nginx on PORT
  post_server PORT      HTTP/1.1 server answering 100 Continue and one POST
  http10_close PORT     HTTP/1.0 exchange, no Content-Length, server closes first
  chunked PORT          keep-alive: chunked response with trailer, 204, 304, 404
  websocket PORT        WebSocket upgrade, three messages each way, close handshake
"""
import base64
import hashlib
import os
import socket
import struct
import sys
import threading
import time

HOST = "127.0.0.1"
TIMEOUT = 5


def recv_until(sock, marker, limit=1 << 20):
    """Read until marker is in the data (or EOF, or limit bytes)."""
    data = b""
    while marker not in data and len(data) < limit:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def recv_all(sock, limit=16 << 20):
    data = b""
    while len(data) < limit:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def listener(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((HOST, port))
    srv.listen(4)
    srv.settimeout(TIMEOUT)
    return srv


def client(port):
    c = socket.create_connection((HOST, port), timeout=TIMEOUT)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return c


def run_server(port, handler):
    """Accept one connection on a thread; returns (thread, ready event)."""
    srv = listener(port)

    def serve():
        try:
            conn, _ = srv.accept()
            conn.settimeout(TIMEOUT)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with conn:
                handler(conn)
        except OSError as e:
            print("server:", e, file=sys.stderr)
        finally:
            srv.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return t


# ---- pipelined: four requests in one segment to nginx -------------------------

def pipelined(port):
    reqs = (b"GET /a.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"
            b"HEAD /b.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"
            b"GET /missing.html HTTP/1.1\r\nHost: localhost\r\n\r\n"
            b"GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    with client(port) as c:
        c.sendall(reqs)            # one send(): one segment on the loopback
        data = recv_all(c)         # nginx closes after the fourth response
    print("pipelined: %d bytes back" % len(data))


# ---- POST with Expect: 100-continue to a tiny HTTP/1.1 server ------------------

def post_server(port):
    """Answer one connection: 100 Continue when asked, read the body by its
    Content-Length, answer 200 with a short body, then wait for the client
    to close."""
    def handler(conn):
        head = recv_until(conn, b"\r\n\r\n")
        hdr, _, body = head.partition(b"\r\n\r\n")
        fields = {}
        for line in hdr.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            fields[k.strip().lower()] = v.strip()
        length = int(fields.get(b"content-length", b"0"))
        if fields.get(b"expect", b"").lower() == b"100-continue":
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        reply = b"received %d bytes\n" % len(body)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n"
                     % len(reply) + reply)
        recv_all(conn)             # until the client's FIN
    t = run_server(port, handler)
    t.join(TIMEOUT * 3)


# ---- HTTP/1.0, no Content-Length, the server closes first ----------------------

def http10_close(port):
    def handler(conn):
        recv_until(conn, b"\r\n\r\n")
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nServer: raw\r\n\r\n")
        for k in range(3):         # the body in three writes, then close
            time.sleep(0.05)
            conn.sendall(b"line %d of a body whose end is the connection's end\n" % k)
        time.sleep(0.05)
    t = run_server(port, handler)
    time.sleep(0.1)
    with client(port) as c:
        c.sendall(b"GET /old HTTP/1.0\r\nUser-Agent: scenarios.py\r\n\r\n")
        data = recv_all(c)
    t.join(TIMEOUT)
    print("http10_close: %d bytes" % len(data))


# ---- keep-alive: chunked response with trailer, 204, 304, 404 -------------------

def chunked(port):
    def handler(conn):
        # 1: chunked, the chunks in separate writes, a chunk split across
        #    writes, a trailer field
        recv_until(conn, b"\r\n\r\n")
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                     b"Transfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n")
        for piece in (b"1a\r\nabcdefghijklmnopqrstuvwxyz\r\n", b"a;ext=1\r\n01234",
                      b"56789\r\n", b"0\r\nX-Checksum: 42\r\n\r\n"):
            time.sleep(0.05)
            conn.sendall(piece)
        # 2: 204 No Content
        recv_until(conn, b"\r\n\r\n")
        conn.sendall(b"HTTP/1.1 204 No Content\r\nServer: raw\r\n\r\n")
        # 3: 304 Not Modified (Content-Length describes the unsent body)
        recv_until(conn, b"\r\n\r\n")
        conn.sendall(b"HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 1234\r\n\r\n")
        # 4: 404 with a body
        recv_until(conn, b"\r\n\r\n")
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
                     b"Content-Length: 10\r\n\r\nnot found\n")
        recv_all(conn)
    t = run_server(port, handler)
    time.sleep(0.1)
    with client(port) as c:
        c.sendall(b"GET /chunked HTTP/1.1\r\nHost: localhost\r\n\r\n")
        recv_until(c, b"X-Checksum: 42\r\n\r\n")
        c.sendall(b"DELETE /thing HTTP/1.1\r\nHost: localhost\r\n\r\n")
        recv_until(c, b"\r\n\r\n")
        c.sendall(b"GET /cached HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: \"v1\"\r\n\r\n")
        recv_until(c, b"\r\n\r\n")
        c.sendall(b"GET /nothere HTTP/1.1\r\nHost: localhost\r\n\r\n")
        recv_until(c, b"not found\n")
    t.join(TIMEOUT)
    print("chunked: done")


# ---- WebSocket (RFC 6455) --------------------------------------------------------

WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def ws_frame(opcode, payload, mask):
    head = bytes([0x80 | opcode])
    n = len(payload)
    mbit = 0x80 if mask else 0
    if n < 126:
        head += bytes([mbit | n])
    else:
        head += bytes([mbit | 126]) + struct.pack("!H", n)
    if mask:
        key = os.urandom(4)
        payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        head += key
    return head + payload


def ws_read(sock):
    """One frame: (opcode, payload)."""
    def exact(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data
    b0, b1 = exact(2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack("!H", exact(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", exact(8))[0]
    key = exact(4) if b1 & 0x80 else None
    payload = exact(n)
    if key:
        payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    return b0 & 0x0F, payload


def websocket(port):
    def handler(conn):
        head = recv_until(conn, b"\r\n\r\n")
        key = b""
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"sec-websocket-key:"):
                key = line.split(b":", 1)[1].strip()
        accept = base64.b64encode(hashlib.sha1(key + WS_GUID).digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        for _ in range(10):        # echo until the client's close frame
            op, data = ws_read(conn)
            if op == 8:
                conn.sendall(ws_frame(8, data, False))   # close reply
                break
            conn.sendall(ws_frame(op, b"echo: " + data, False))
        # RFC 6455 §7.1.1: the server closes the TCP connection first
    t = run_server(port, handler)
    time.sleep(0.1)
    key = base64.b64encode(os.urandom(16))
    with client(port) as c:
        c.sendall(b"GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                  b"Connection: Upgrade\r\nSec-WebSocket-Key: " + key +
                  b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
        recv_until(c, b"\r\n\r\n")
        for text in (b"hello", b"GET / HTTP/1.1", b"bye"):
            time.sleep(0.05)
            c.sendall(ws_frame(1, text, True))
            ws_read(c)
        c.sendall(ws_frame(8, struct.pack("!H", 1000), True))
        ws_read(c)
        recv_all(c)                # the server's FIN
    t.join(TIMEOUT)
    print("websocket: done")


SCENARIOS = {
    "pipelined": pipelined,
    "post_server": post_server,
    "http10_close": http10_close,
    "chunked": chunked,
    "websocket": websocket,
}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in SCENARIOS:
        sys.exit(__doc__)
    socket.setdefaulttimeout(TIMEOUT)
    SCENARIOS[sys.argv[1]](int(sys.argv[2]))
