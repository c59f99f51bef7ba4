#!/usr/bin/env python3
"""Print PORT (default 8169) if 127.0.0.1:PORT is free, else a free port."""

import socket
import sys

with socket.socket() as sock:
    try:
        sock.bind(("127.0.0.1", int(sys.argv[1]) if sys.argv[1:] else 8169))
    except OSError:
        sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1])
