#!/usr/bin/env python3
"""Screenshots of a running Odoo's pages, logged in as a user, with headless chromium.

usage:
  python3 tools_dev/screenshot.py --base http://127.0.0.1:8069 --db DB \
      --login admin --password admin --out static/description/screenshots \
      [--size 1400x900] [--wait 4] \
      pack_form='/odoo/action-helpdesk_support_pack.support_pack_action/7' \
      portal_ticket='/my/ticket/12'

Each NAME=PATH argument saves NAME.png (PATH relative to --base).  --wait is the
seconds waited after the page's load event (Odoo's web client renders after it).
A PDF report: download it with the session (curl -b session_id=...) and use
`pdftoppm -png -r 80 -f 1 -l 1 file.pdf out` instead.
Make the demo server with: make run DEMO_DB=<db> RUN_PORT=<port> (leave it running
in the background) or an odoo command with demo data.
"""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import requests
import websocket


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def login(base, db, user, password):
    r = requests.post(
        f"{base}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": db, "login": user, "password": password},
        },
        timeout=60,
    )
    r.raise_for_status()
    if r.json().get("error"):
        raise SystemExit(f"login failed: {r.json()['error']}")
    return r.cookies["session_id"]


class Tab:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=60)
        self.n = 0

    def call(self, method, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def wait_event(self, name, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            msg = json.loads(self.ws.recv())
            if msg.get("method") == name:
                return msg
        raise TimeoutError(name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--login", default="admin")
    ap.add_argument("--password", default="admin")
    ap.add_argument("--out", default="static/description/screenshots")
    ap.add_argument("--size", default="1400x900")
    ap.add_argument("--wait", type=float, default=4.0)
    ap.add_argument("shots", nargs="+", help="NAME=PATH")
    args = ap.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    base = args.base.rstrip("/")
    sid = login(base, args.db, args.login, args.password)
    os.makedirs(args.out, exist_ok=True)

    port = free_port()
    profile = tempfile.mkdtemp(prefix="shot-")
    chrome = subprocess.Popen(
        [
            shutil.which("chromium") or "chromium",
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                targets = json.load(
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list")
                )
                page = next(t for t in targets if t["type"] == "page")
                break
            except Exception:
                time.sleep(0.2)
        else:
            raise SystemExit("chromium did not start")
        tab = Tab(page["webSocketDebuggerUrl"])
        tab.call("Page.enable")
        tab.call("Network.enable")
        tab.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        tab.call("Network.setCookie", name="session_id", value=sid, url=base + "/")
        for shot in args.shots:
            name, path = shot.split("=", 1)
            tab.call("Page.navigate", url=base + path)
            tab.wait_event("Page.loadEventFired")
            time.sleep(args.wait)
            data = tab.call("Page.captureScreenshot", format="png")["data"]
            target = os.path.join(args.out, f"{name}.png")
            with open(target, "wb") as f:
                f.write(base64.b64decode(data))
            print(f"{target}: {base}{path}")
    finally:
        chrome.terminate()
        chrome.wait(10)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
