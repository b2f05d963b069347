"""What load.py and two_replicas.py share: free ports, waiting for a server, reading it, and the
LoadGenerator command line."""
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


def generator_command(generator: str, targets: list[str], seconds: int, connections: int, drivers: int, customers: int,
                      entities: int = 1, rate: int = 0, get: str = "") -> list[str]:
    """LoadGenerator's arguments: keep-alive connections over `targets` (URLs), at `rate`
    requests/s on a fixed schedule (0: as fast as it goes), or `GET get` instead of lookups."""
    command = [generator, "--targets", ",".join(t.removeprefix("http://") for t in targets), "--connections", str(connections),
               "--seconds", str(seconds), "--entities", str(entities), "--drivers", str(drivers), "--customers", str(customers)]
    if rate:
        command += ["--rate", str(rate)]
    if get:
        command += ["--get", get]
    return command
