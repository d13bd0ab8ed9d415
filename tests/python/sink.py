"""An aiosmtpd server for wasmtp's interop tests: it stores each message it accepts,
byte for byte, as <dir>/<n>.eml with its recipients in <dir>/<n>.rcpt, refuses
recipients whose local part starts with "no" (550 5.1.1), and prints where it listens.

Usage: python3 sink.py <dir>
"""

import asyncio
import pathlib
import socket
import sys

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, directory):
        self.directory = pathlib.Path(directory)
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].startswith("no"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        (self.directory / f"{self.count}.eml").write_bytes(envelope.original_content)
        (self.directory / f"{self.count}.rcpt").write_text("\n".join(envelope.rcpt_tos))
        return "250 2.0.0 Stored"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    port = free_port()
    controller = Controller(Store(sys.argv[1]), hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    print(f"aiosmtpd listening on 127.0.0.1:{port}", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
