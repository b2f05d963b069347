"""The feature server under load (Benchmarks/server/run.sh): `larder serve` and Feast's own
`feast serve` on the same data, one after the other, driven by wrk over keep-alive connections
from the same machine; and the in-process convenience API on the same store, as the floor.

Each request reads the `driver_activity` service (five features over two views) for one entity,
or for a batch of 100. Scenarios per server: as fast as it goes (32 connections), and paced at
about 1,000 and 10,000 requests per second (10 and 100 connections, each waiting 10 ms between
an answer and its next request). Prints a Markdown table; writes WORK/results.json.

Usage: load.py --larder PATH --floor PATH --work DIR [--seconds N] [--feast-workers N]
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


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
            time.sleep(0.2)
    sys.exit(f"the server at {url} did not answer /health in {seconds} s")


def post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url + "/get-online-features", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request, timeout=10))


def wrk(targets: list[str], seconds: int, connections: int, entities: int, delay_ms: int, sizes: dict) -> dict:
    env = dict(os.environ, ENTITIES=str(entities), DELAY_MS=str(delay_ms), TARGETS=",".join(t.removeprefix("http://") for t in targets),
               DRIVERS=str(sizes["drivers"]), CUSTOMERS=str(sizes["customers"]))
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", os.path.join(HERE, "load.lua"), targets[0]],
                         env=env, check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["rate"] = result["requests"] / result["seconds"]
    return result


SCENARIOS = [
    # name, connections, entities per request, delay between requests per connection (ms)
    ("1 entity, as fast as it goes", 32, 1, 0),
    ("1 entity, ~1,000 requests/s", 10, 1, 10),
    ("1 entity, ~10,000 requests/s", 100, 1, 10),
    ("100 entities, as fast as it goes", 16, 100, 0),
]


def run_scenarios(name: str, url: str, seconds: int, sizes: dict, results: list):
    for scenario, connections, entities, delay in SCENARIOS:
        result = wrk([url], seconds, connections, entities, delay, sizes)
        result.update(server=name, scenario=scenario)
        results.append(result)
        print(f"  {name:8} {scenario:34} {result['rate']:>9,.0f}/s  p50 {result['p50_us']:>7,} µs  p99 {result['p99_us']:>8,} µs"
              f"  errors {result['socket_errors'] + result['non_2xx']}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--larder", required=True)
    parser.add_argument("--floor", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--feast-workers", type=int, default=2)
    args = parser.parse_args()
    sizes = json.load(open(os.path.join(args.work, "made.json")))
    store = os.path.join(args.work, "larder", ".larder")
    results = []

    # Both answer the same request, every value present.
    probe = {"feature_service": "driver_activity", "entities": {"driver_id": [1001, 1002], "customer_id": ["C1001", "C1002"]}}

    port = free_port()
    larder = subprocess.Popen([args.larder, "serve", "--store", store, "--read-only", "--port", str(port), "--no-access-log"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, larder)
        answer = post(url, probe)
        assert all(s == "PRESENT" for r in answer["results"] for s in r["statuses"]), answer
        print(f"larder serve ({url}):", file=sys.stderr)
        run_scenarios("Larder", url, args.seconds, sizes, results)
    finally:
        larder.send_signal(signal.SIGTERM)
        larder.wait()

    port = free_port()
    feast_bin = os.path.join(os.path.dirname(sys.executable), "feast")
    feast = subprocess.Popen([feast_bin, "-c", os.path.join(args.work, "feast"), "serve", "-p", str(port), "-w", str(args.feast_workers),
                              "--no-access-log", "--max-requests", "100000000"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, feast)
        answer = post(url, probe)
        assert all(s == "PRESENT" for r in answer["results"] for s in r["statuses"]), answer
        print(f"feast serve -w {args.feast_workers} ({url}):", file=sys.stderr)
        run_scenarios("Feast", url, args.seconds, sizes, results)
    finally:
        os.killpg(feast.pid, signal.SIGTERM)
        feast.wait()

    for entities in (1, 100):
        floor = json.loads(subprocess.run([args.floor, store, str(sizes["drivers"]), str(sizes["customers"]), str(entities),
                                           str(200_000 if entities == 1 else 20_000)],
                                          check=True, capture_output=True, text=True).stdout)
        floor.update(server="in-process", scenario=f"{entities} entit{'y' if entities == 1 else 'ies'}, one thread, no network")
        floor["rate"] = floor["requests_per_second"]
        results.append(floor)

    json.dump(results, open(os.path.join(args.work, "results.json"), "w"), indent=1)
    print(f"| server | scenario | requests/s | p50 | p99 | failed |")
    print(f"|---|---|---:|---:|---:|---:|")
    for r in results:
        failed = r.get("socket_errors", 0) + r.get("non_2xx", 0)
        print(f"| {r['server']} | {r['scenario']} | {r['rate']:,.0f} | {r['p50_us']:,} µs | {r['p99_us']:,} µs | {failed} |")


if __name__ == "__main__":
    sys.exit(main())
