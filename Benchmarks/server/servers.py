"""What load.py and two_replicas.py share: free ports, waiting for a server, and reading it."""
import json
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server at {url} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url + "/health", timeout=1)
            return
        except Exception:
            time.sleep(0.1)
    sys.exit(f"the server at {url} did not answer /health in {seconds} s")


def get(url: str) -> str:
    return urllib.request.urlopen(url, timeout=5).read().decode()


def post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url + "/get-online-features", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=10))
