"""The feature server under load (Benchmarks/server/run.sh): `larder serve` and Feast's own
`feast serve` on the same data, one after the other, driven by LoadGenerator (keep-alive
connections, open loop at a fixed rate) from the same machine; and the in-process convenience
API on the same store, as the floor.

Each request reads the `driver_activity` service (five features over two views) for one entity,
or for a batch of 100. Scenarios per server: as fast as it goes (32 connections, each sending
its next request on an answer), and 1,000 and 10,000 requests per second on a fixed schedule
(16 connections; latency counts from when a request was due). Prints a Markdown table; writes
WORK/results.json. `GET /health` as fast as it goes shows the HTTP stack's own ceiling.

Usage: load.py --larder PATH --floor PATH --generator PATH --work DIR [--seconds N] [--feast-workers N]
"""
import argparse
import json
import os
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from servers import free_port, generator_command, post, wait_until_up  # noqa: E402


def load(generator: str, targets: list[str], seconds: int, connections: int, entities: int, rate: int, sizes: dict, get: str = "") -> dict:
    command = generator_command(generator, targets, seconds, connections, sizes["drivers"], sizes["customers"], entities, rate, get)
    result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    result["rate"] = result["requests"] / result["seconds"]
    return result


SCENARIOS = [
    # name, connections, entities per request, requests per second (0: as fast as it goes)
    ("1 entity, as fast as it goes", 32, 1, 0),
    ("1 entity, 1,000 requests/s", 16, 1, 1_000),
    ("1 entity, 10,000 requests/s", 16, 1, 10_000),
    ("100 entities, as fast as it goes", 16, 100, 0),
]


def run_scenarios(generator: str, name: str, url: str, seconds: int, sizes: dict, results: list):
    for scenario, connections, entities, rate in SCENARIOS:
        result = load(generator, [url], seconds, connections, entities, rate, sizes)
        result.update(server=name, scenario=scenario)
        results.append(result)
        print(f"  {name:8} {scenario:34} {result['rate']:>9,.0f}/s  p50 {result['p50_us']:>7,} µs  p99 {result['p99_us']:>8,} µs"
              f"  failed {result['failed']}, never sent {result['unsent']}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--larder", required=True)
    parser.add_argument("--floor", required=True)
    parser.add_argument("--generator", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--feast-workers", type=int, default=2)
    args = parser.parse_args()
    sizes = json.load(open(os.path.join(args.work, "made.json")))
    store = os.path.join(args.work, "larder", ".larder")
    results = []

    # Both answer the same request, every value present.
    probe = {"feature_service": "driver_activity", "entities": {"driver_id": [1001, 1002], "customer_id": ["C1001", "C1002"]}}

    def measure(name: str, command: list[str], **popen) -> str:
        """Starts a server on a free port, checks it answers the probe, runs the scenarios."""
        port = free_port()
        process = subprocess.Popen(command + ["-p" if name == "Feast" else "--port", str(port)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url, process)
            answer = post(url, probe)
            assert all(s == "PRESENT" for r in answer["results"] for s in r["statuses"]), answer
            print(f"{name} ({url}):", file=sys.stderr)
            run_scenarios(args.generator, name, url, args.seconds, sizes, results)
            if name == "Larder":
                # The same server's HTTP stack without a lookup: GET /health (a registry check).
                ceiling = load(args.generator, [url], args.seconds, 32, 1, 0, sizes, get="/health")
                ceiling.update(server="Larder", scenario="GET /health, as fast as it goes (no lookup)")
                results.append(ceiling)
        finally:
            if name == "Feast":
                os.killpg(process.pid, signal.SIGTERM)  # gunicorn and its workers
            else:
                process.send_signal(signal.SIGTERM)
            process.wait()
        return url

    measure("Larder", [args.larder, "serve", "--store", store, "--read-only", "--no-access-log"])
    feast_bin = os.path.join(os.path.dirname(sys.executable), "feast")
    measure("Feast", [feast_bin, "-c", os.path.join(args.work, "feast"), "serve", "-w", str(args.feast_workers),
                      "--no-access-log", "--max-requests", "100000000"], start_new_session=True)

    for entities in (1, 100):
        floor = json.loads(subprocess.run([args.floor, store, str(sizes["drivers"]), str(sizes["customers"]), str(entities),
                                           str(200_000 if entities == 1 else 20_000)],
                                          check=True, capture_output=True, text=True).stdout)
        floor.update(server="in-process", scenario=f"{entities} entit{'y' if entities == 1 else 'ies'}, one thread, no network")
        floor["rate"] = floor["requests_per_second"]
        results.append(floor)

    json.dump(results, open(os.path.join(args.work, "results.json"), "w"), indent=1)
    print("| server | scenario | requests/s | p50 | p99 | failed | never sent |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['server']} | {r['scenario']} | {r['rate']:,.0f} | {r['p50_us']:,} µs | {r['p99_us']:,} µs | {r.get('failed', 0)} | {r.get('unsent', 0):,} |")


if __name__ == "__main__":
    sys.exit(main())
