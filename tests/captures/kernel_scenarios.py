#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Drive one TCP lifecycle scenario over the Linux loopback with real sockets.

make_kernel.sh runs tcpdump on the scenario's port and then calls
`kernel_scenarios.py <scenario> <port>`; this script plays both client and
server (server in a thread) so that the kernel produces the segments the
scenario is named for. Every socket has a timeout and every loop is bounded,
so a scenario can never hang. Only 127.0.0.1 is used.
"""
import socket
import struct
import sys
import threading
import time

HOST = "127.0.0.1"
TIMEOUT = 5.0


def listener(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.settimeout(TIMEOUT)
    s.bind((HOST, port))
    s.listen(4)
    return s


def client(port, bind_port=None):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.settimeout(TIMEOUT)
    if bind_port is not None:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind((HOST, bind_port))
    c.connect((HOST, port))
    return c


def recv_until_eof(sock, limit=64):
    """Read until the peer's FIN (recv() == b''), at most `limit` reads."""
    data = b""
    for _ in range(limit):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def linger0(sock):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def run_server(lst, body):
    """Accept one connection in a thread and run body(conn) on it."""
    def work():
        conn, _ = lst.accept()
        conn.settimeout(TIMEOUT)
        try:
            body(conn)
        finally:
            conn.close()
    t = threading.Thread(target=work, daemon=True)
    t.start()
    return t


REQUEST = b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n"
REPLY = b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello"


def close_client_first(port):
    """Request, reply, client close(); server closes 0.3 s later (4 segments)."""
    lst = listener(port)

    def srv(conn):
        conn.recv(4096)
        conn.sendall(REPLY)
        conn.recv(4096)          # b'' once the client's FIN arrives
        time.sleep(0.3)          # let the kernel ACK the FIN on its own first
    t = run_server(lst, srv)
    c = client(port)
    c.sendall(REQUEST)
    c.recv(4096)
    time.sleep(0.1)
    c.close()
    t.join(TIMEOUT)
    lst.close()


def close_server_first(port):
    """HTTP/1.0 style: the server replies and closes; client closes after EOF."""
    lst = listener(port)

    def srv(conn):
        conn.recv(4096)
        conn.sendall(REPLY)
        time.sleep(0.05)
    t = run_server(lst, srv)
    c = client(port)
    c.sendall(REQUEST)
    recv_until_eof(c)
    time.sleep(0.3)
    c.close()
    t.join(TIMEOUT)
    lst.close()


def three_segment_close(port):
    """Client closes; the server closes as soon as recv() returns 0."""
    lst = listener(port)

    def srv(conn):
        recv_until_eof(conn)     # then close() at once in run_server
    t = run_server(lst, srv)
    c = client(port)
    c.sendall(b"ping\n")
    time.sleep(0.1)
    c.close()
    t.join(TIMEOUT)
    lst.close()


def half_close(port):
    """Client shutdown(SHUT_WR); server keeps sending several segments, then closes."""
    lst = listener(port)

    def srv(conn):
        recv_until_eof(conn)
        time.sleep(0.2)          # the kernel ACKs the FIN alone first
        for i in range(4):
            conn.sendall(b"chunk %d of the reply\n" % i)
            time.sleep(0.1)
    t = run_server(lst, srv)
    c = client(port)
    c.sendall(REQUEST)
    time.sleep(0.05)
    c.shutdown(socket.SHUT_WR)
    recv_until_eof(c)
    c.close()
    t.join(TIMEOUT)
    lst.close()


def refused(port):
    """Connect to a port nobody listens on: SYN, RST+ACK."""
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.settimeout(TIMEOUT)
    try:
        c.connect((HOST, port))
    except ConnectionRefusedError:
        pass
    c.close()


def abort_established(port):
    """Data both ways, then the client closes with SO_LINGER {1,0}: RST."""
    lst = listener(port)

    def srv(conn):
        conn.recv(4096)
        conn.sendall(b"pong\n")
        recv_until_eof(conn, limit=4)   # ends with ConnectionResetError
    t = threading.Thread(target=lambda: _ignore_reset(lambda: _serve_once(lst, srv)),
                         daemon=True)
    t.start()
    c = client(port)
    c.sendall(b"ping\n")
    c.recv(4096)
    time.sleep(0.1)
    linger0(c)
    c.close()
    t.join(TIMEOUT)
    lst.close()


def rst_after_fin(port):
    """The server closes (FIN); the client then writes to the closed socket: RST."""
    lst = listener(port)

    def srv(conn):
        conn.recv(4096)
        conn.sendall(b"bye\n")
    t = run_server(lst, srv)
    c = client(port)
    c.sendall(b"ping\n")
    recv_until_eof(c)
    time.sleep(0.1)
    c.sendall(b"late data\n")      # server socket is fully closed: it answers RST
    time.sleep(0.2)
    c.close()
    t.join(TIMEOUT)
    lst.close()


def keepalive(port):
    """SO_KEEPALIVE idle 1 s, interval 1 s; 3.5 s idle, then a normal close."""
    lst = listener(port)

    def srv(conn):
        conn.recv(4096)
        conn.sendall(b"pong\n")
        recv_until_eof(conn)
    t = run_server(lst, srv)
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.settimeout(TIMEOUT)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 5)
    c.connect((HOST, port))
    c.sendall(b"ping\n")
    c.recv(4096)
    time.sleep(3.5)
    c.close()
    t.join(TIMEOUT)
    lst.close()


def port_reuse(port):
    """Two connections from the same client port; the server closes first each
    time so the TIME-WAIT is on the server side and the client port is free."""
    lst = listener(port)
    cport = port + 1

    for n in range(2):
        def srv(conn, n=n):
            conn.recv(4096)
            conn.sendall(b"reply %d\n" % n)
        t = run_server(lst, srv)
        c = client(port, bind_port=cport)
        c.sendall(b"request %d\n" % n)
        recv_until_eof(c)
        c.close()
        t.join(TIMEOUT)
        time.sleep(0.3)
    lst.close()


def _serve_once(lst, body):
    conn, _ = lst.accept()
    conn.settimeout(TIMEOUT)
    try:
        body(conn)
    finally:
        conn.close()


def _ignore_reset(fn):
    try:
        fn()
    except (ConnectionResetError, BrokenPipeError):
        pass


SCENARIOS = {
    "close_client_first": close_client_first,
    "close_server_first": close_server_first,
    "three_segment_close": three_segment_close,
    "half_close": half_close,
    "refused": refused,
    "abort_established": abort_established,
    "rst_after_fin": rst_after_fin,
    "keepalive": keepalive,
    "port_reuse": port_reuse,
}

if __name__ == "__main__":
    SCENARIOS[sys.argv[1]](int(sys.argv[2]))
