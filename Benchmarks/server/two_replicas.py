"""Two serving replicas and an export swapped under load (Docs/Scaling.md), on one machine.

A build host's store gets day 1 of `larder init`'s sample (DRIVERS drivers); `larder export` writes
a copy for each replica (its own directory, as a copy shipped to its own host would be), and each
replica runs `larder serve --read-only --watch` on a symlink to its copy. Meanwhile the build host materializes day 2,
exports again, and each replica's symlink is switched to its new copy, one replica after the
other. LoadGenerator spreads 4,000 requests/s over both (a fixed schedule, keep-alive
connections alternating between the replicas). Every request must succeed; both replicas must
end on the new export.

Usage: two_replicas.py --larder PATH --generator PATH --work DIR [--seconds N] [--drivers N]
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from servers import free_port, generator_command, get, wait_until_up  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--larder", required=True)
    parser.add_argument("--generator", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--drivers", type=int, default=10_000)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)

    def larder(*command, cwd=None):
        started = time.monotonic()
        subprocess.run([args.larder, *command], cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        return time.monotonic() - started

    build = os.path.join(args.work, "build")
    larder("init", build, "--drivers", str(args.drivers), "--customers", str(args.drivers), "--days", "2", "--entity-rows", "10")
    definitions = os.path.join(build, "features.yaml")
    text = open(definitions).read().replace("ttl: 1d", "ttl: 0").replace("ttl: 7d", "ttl: 0")
    open(definitions, "w").write(text)
    larder("apply", cwd=build)
    larder("materialize", "2024-05-01", "2024-05-02", cwd=build)

    replicas = [os.path.join(args.work, name) for name in ("replica-a", "replica-b")]

    def publish(version: int) -> float:
        """Exports the build store once per replica and switches each replica's symlink to it."""
        took = 0.0
        for replica in replicas:
            took += larder("export", os.path.join(replica, "exports", str(version)), cwd=build)
            link = os.path.join(replica, "current")
            os.symlink(os.path.join("exports", str(version)), link + ".new")
            os.replace(link + ".new", link)  # rename(2): atomic
        return took

    for replica in replicas:
        os.makedirs(os.path.join(replica, "exports"))
    publish(1)

    servers, urls = [], []
    for replica in replicas:
        port = free_port()
        servers.append(subprocess.Popen([args.larder, "serve", "--store", os.path.join(replica, "current"), "--read-only", "--watch",
                                         "--watch-interval", "0.2", "--port", str(port), "--no-access-log"],
                                        stdout=subprocess.DEVNULL, stderr=open(os.path.join(replica, "serve.log"), "w")))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, server in zip(urls, servers):
            wait_until_up(url, server)

        # 4,000 requests/s in all, on 16 keep-alive connections alternating between the replicas.
        load = subprocess.Popen(generator_command(args.generator, urls, args.seconds, 16, args.drivers, args.drivers, rate=4000),
                                stdout=subprocess.PIPE, text=True)
        time.sleep(args.seconds / 4)
        materialized = larder("materialize", "2024-05-02", "2024-05-03", cwd=build)
        swap_started = time.monotonic()
        exported = publish(2)
        switched = {}
        while len(switched) < len(urls) and time.monotonic() - swap_started < 30:
            for url in urls:
                if url not in switched and len(json.loads(get(url + "/snapshots"))["snapshots"]) == 2:
                    switched[url] = time.monotonic() - swap_started
            time.sleep(0.05)
        result = json.loads(load.communicate()[0].strip().splitlines()[-1])

        served, switches = [], []
        for url in urls:
            metrics = get(url + "/metrics")
            served.append(sum(int(float(n)) for n in re.findall(r'feast_feature_server_request_total\{endpoint="/get-online-features",status="200"\} (\S+)', metrics)))
            found = re.search(r"^larder_store_switches_total (\S+)", metrics, re.M)
            switches.append(int(float(found.group(1))) if found else 0)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait()

    size = os.path.getsize(os.path.join(replicas[0], "exports", "2", "data.mdb"))
    failed = result["failed"] + result["unsent"]
    print(f"| what | figure |")
    print(f"|---|---|")
    print(f"| requests ({args.seconds} s at 4,000/s, 16 connections over two replicas) | {result['requests']:,} ({result['requests'] / result['seconds']:,.0f}/s) |")
    print(f"| answered with 200, per replica | {served[0]:,} and {served[1]:,} |")
    print(f"| failed requests (errors, non-200 answers, never answered or sent) | {failed} |")
    print(f"| latency p50 / p99 / p99.9 / max | {result['p50_us']:,} / {result['p99_us']:,} / {result['p999_us']:,} / {result['max_us']:,} µs |")
    print(f"| day 2 materialized on the build host | {materialized:.2f} s |")
    print(f"| two exports ({size / 1e6:.1f} MB data.mdb each) and two symlink swaps | {exported:.2f} s |")
    delays = ", ".join("%.2f s" % switched[u] if u in switched else "never" for u in urls)
    print(f"| replicas on the new export, counted from the first swap | {delays} |")
    print(f"| switches counted (larder_store_switches_total) | {switches[0]} and {switches[1]} |")
    ok = failed == 0 and len(switched) == 2 and switches == [1, 1]
    print("PASS: no request failed, both replicas switched" if ok else "FAIL", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
