#!/usr/bin/env python3
"""Print PORT if nothing listens on 127.0.0.1:PORT, else a free port.

Usage: python3 tools_dev/free_port.py [PORT]   (default 8169)
"""

import socket
import sys


def is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def main(argv):
    wanted = int(argv[0]) if argv else 8169
    if is_free(wanted):
        return wanted
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    sys.stdout.write(f"{main(sys.argv[1:])}\n")
