"""A DNS-over-HTTPS stub (RFC 8484, over plain HTTP on loopback) for wasmtp's edge
tests: it forwards each DNS message it is given to a DNS server (the test's dnsmasq,
which holds the fixed zone) over UDP and returns the answer as application/dns-message.
Takes POST with the message as body, and GET with ?dns=<base64url>. Prints where it
listens.

Usage: python3 doh.py <dns-address> <dns-port>
"""

import base64
import http.server
import socket
import sys
import urllib.parse

DNS = (sys.argv[1], int(sys.argv[2]))


def resolve(query):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.settimeout(3)
        udp.sendto(query, DNS)
        answer, _ = udp.recvfrom(65535)
        return answer


class DoH(http.server.BaseHTTPRequestHandler):
    def answer(self, query):
        if not query:
            self.send_error(400, "no DNS message")
            return
        try:
            wire = resolve(query)
        except OSError as error:
            self.send_error(502, str(error))
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/dns-message")
        self.send_header("Content-Length", str(len(wire)))
        self.end_headers()
        self.wfile.write(wire)

    def do_POST(self):
        if self.headers.get("Content-Type") != "application/dns-message":
            self.send_error(415, "send application/dns-message")
            return
        length = int(self.headers.get("Content-Length", "0"))
        self.answer(self.rfile.read(length))

    def do_GET(self):
        encoded = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query).get("dns", [""])[0]
        self.answer(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))

    def log_message(self, format, *args):
        sys.stderr.write("doh: " + format % args + "\n")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), DoH)
print(f"DoH listening on 127.0.0.1:{server.server_port}", flush=True)
server.serve_forever()
