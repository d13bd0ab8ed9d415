"""An aiosmtpd server for wasmtp's interop tests: it stores each message it accepts,
byte for byte, as <dir>/<n>.eml with its recipients in <dir>/<n>.rcpt and the
client's address and port in <dir>/<n>.peer (one connection, one port), refuses
recipients whose local part starts with "no" (550 5.1.1), puts off those starting with
"later" once (451 4.7.1, accepted when tried again), and prints where it listens.

With SINK_TLS_CERT and SINK_TLS_KEY set (PEM files) it offers STARTTLS, refuses mail
before it, and writes each message's TLS cipher to <dir>/<n>.tls.

Usage: python3 sink.py <dir> [address [port]]   (default 127.0.0.1, a free port)
"""

import asyncio
import os
import pathlib
import socket
import ssl
import sys

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, directory):
        self.directory = pathlib.Path(directory)
        self.count = 0
        self.seen = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local.startswith("no"):
            return "550 5.1.1 No such user"
        if local.startswith("later") and address not in self.seen:
            self.seen.add(address)
            return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        (self.directory / f"{self.count}.eml").write_bytes(envelope.original_content)
        (self.directory / f"{self.count}.peer").write_text(repr(session.peer))
        if session.ssl:
            (self.directory / f"{self.count}.tls").write_text(repr(session.ssl.get("cipher")))
        # Last: a message counts as stored once its recipients are there.
        (self.directory / f"{self.count}.rcpt").write_text("\n".join(envelope.rcpt_tos))
        return "250 2.0.0 Stored"


def free_port(address):
    with socket.socket() as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


def main():
    address = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    port = int(sys.argv[3]) if len(sys.argv) > 3 else free_port(address)
    tls = {}
    if os.environ.get("SINK_TLS_CERT"):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(os.environ["SINK_TLS_CERT"], os.environ["SINK_TLS_KEY"])
        tls = {"tls_context": context, "require_starttls": True}
    controller = Controller(
        Store(sys.argv[1]), hostname=address, port=port, decode_data=False, **tls
    )
    controller.start()
    shown = f"[{address}]" if ":" in address else address
    print(f"aiosmtpd listening on {shown}:{port}", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
