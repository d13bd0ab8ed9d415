"""Times STARTTLS handshakes against an SMTP server, for `cargo xtask bench tls`.

Each round: connect, read the greeting, EHLO, STARTTLS, then time only the TLS
handshake (TLS 1.3, the server's certificate checked against the given CA).
Prints one duration in milliseconds per line.

Usage: python3 handshake.py HOST PORT CA_FILE ROUNDS
"""

import socket
import ssl
import sys
import time


def reply(stream):
    while True:
        line = stream.readline()
        if not line or line[3:4] != b"-":
            return line


def main():
    host, port, ca, rounds = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    context = ssl.create_default_context(cafile=ca)
    context.check_hostname = False
    for _ in range(rounds):
        with socket.create_connection((host, port), timeout=10) as raw:
            stream = raw.makefile("rb")
            reply(stream)
            raw.sendall(b"EHLO bench.test\r\n")
            reply(stream)
            raw.sendall(b"STARTTLS\r\n")
            if not reply(stream).startswith(b"220"):
                sys.exit("STARTTLS refused")
            started = time.perf_counter()
            with context.wrap_socket(raw, server_hostname="localhost") as tls:
                elapsed = time.perf_counter() - started
                tls.sendall(b"QUIT\r\n")
                tls.recv(100)
            print(f"{elapsed * 1000:.3f}", flush=True)


if __name__ == "__main__":
    main()
