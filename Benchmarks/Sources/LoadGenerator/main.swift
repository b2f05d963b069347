// An HTTP/1.1 load generator for the feature server benchmarks (Benchmarks/server): keep-alive
// connections, one thread on epoll, and an open-loop schedule — at `--rate R`, request k is due
// at start + k/R whatever the answers before it did, and its latency runs from when it was due,
// so a stalled server shows in the percentiles instead of slowing the load (no coordinated
// omission). Without --rate, each connection sends its next request as soon as it has an
// answer: the most the server (and this one thread) can do.
//
// Each request is POST /get-online-features for the `driver_activity` service of `larder init`'s
// repository, with --entities entity rows drawn uniformly from --drivers and --customers.
// Prints one JSON line: requests, seconds, failures, latency percentiles in microseconds.
//
// With --get PATH it sends `GET PATH` instead, for the HTTP stack's own ceiling.
//
// Usage: LoadGenerator --targets HOST:PORT[,HOST:PORT…] [--rate R] [--connections C]
//          [--seconds S] [--entities N] [--drivers N] [--customers N] [--get PATH]
import CEpoll
import Foundation

#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var targets: [(host: String, port: UInt16)] = []
    var rate = 0.0
    var connections = 32
    var seconds = 10.0
    var entities = 1
    var drivers = 10_000
    var customers = 10_000
    /// GET this path instead: the HTTP stack's own ceiling, without a lookup.
    var get: String?

    init(_ arguments: [String]) {
        var index = 1
        func next() -> String {
            index += 1
            guard index < arguments.count else { fail("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--targets":
                targets = next().split(separator: ",").map { target in
                    let parts = target.split(separator: ":")
                    guard parts.count == 2, let port = UInt16(parts[1]) else { fail("a target is HOST:PORT, not \(target)") }
                    return (String(parts[0]), port)
                }
            case "--rate": rate = Double(next()) ?? 0
            case "--connections": connections = Int(next()) ?? 32
            case "--seconds": seconds = Double(next()) ?? 10
            case "--entities": entities = Int(next()) ?? 1
            case "--drivers": drivers = Int(next()) ?? 10_000
            case "--customers": customers = Int(next()) ?? 10_000
            case "--get": get = next()
            default: fail("unknown option \(arguments[index])")
            }
            index += 1
        }
        guard !targets.isEmpty else { fail("--targets is required") }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("LoadGenerator: \(message)\n".utf8))
    exit(2)
}

func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// 1,000 requests made up front, so that making one costs nothing during the run.
func makeRequests(_ options: Options, host: String) -> [[UInt8]] {
    if let path = options.get { return [Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8)] }
    return (0..<1_000).map { _ in
        let drivers = (0..<options.entities).map { _ in String(1000 + Int.random(in: 1...options.drivers)) }
        let customers = (0..<options.entities).map { _ in "\"C\(1000 + Int.random(in: 1...options.customers))\"" }
        let body = #"{"feature_service":"driver_activity","entities":{"driver_id":["# + drivers.joined(separator: ",")
            + #"],"customer_id":["# + customers.joined(separator: ",") + "]}}"
        let head = "POST /get-online-features HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        return Array((head + body).utf8)
    }
}

final class Connection {
    let descriptor: Int32
    var buffer: [UInt8] = []
    /// When the request in flight was due, or nil when the connection is idle.
    var due: UInt64?

    init(host: String, port: UInt16) {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { fail("cannot connect to \(host):\(port): \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    /// Writes a whole request (small enough for the socket buffer of an idle connection).
    func send(_ request: [UInt8], due: UInt64) -> Bool {
        self.due = due
        let written = request.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        return written == request.count
    }

    /// The status of the one complete response in `buffer`, removing it; nil until complete.
    func takeResponse() -> Int? {
        guard let headEnd = find([13, 10, 13, 10]) else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.count >= 12, let status = Int(statusLine.dropFirst(9).prefix(3)) else { fail("not an HTTP response: \(head)") }
        var length = 0
        for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        if lines.contains(where: { $0.lowercased().hasPrefix("transfer-encoding:") }) { fail("chunked responses are not read: \(head)") }
        let total = headEnd + 4 + length
        guard buffer.count >= total else { return nil }
        buffer.removeFirst(total)
        return status
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for index in 0...(buffer.count - pattern.count) where buffer[index] == pattern[0] {
            if buffer[index..<index + pattern.count].elementsEqual(pattern) { return index }
        }
        return nil
    }
}

let options = Options(CommandLine.arguments)
let requests = options.targets.map { makeRequests(options, host: "\($0.host):\($0.port)") }
let connections = (0..<options.connections).map { index in
    let target = options.targets[index % options.targets.count]
    return Connection(host: target.host, port: target.port)
}
let poll = epoll_create1(0)
for (index, connection) in connections.enumerated() {
    var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(u64: UInt64(index)))
    epoll_ctl(poll, EPOLL_CTL_ADD, connection.descriptor, &event)
}
// A timer for the next due request, at nanosecond precision (epoll_wait's timeout is in ms).
let timer = timerfd_create(CLOCK_MONOTONIC, Int32(TFD_NONBLOCK))
var timerEvent = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(u64: UInt64.max))
epoll_ctl(poll, EPOLL_CTL_ADD, timer, &timerEvent)

let start = now()
let end = start + UInt64(options.seconds * 1e9)
let interval = options.rate > 0 ? UInt64(1e9 / options.rate) : 0
var nextDue = start
var waiting: [UInt64] = []  // due times of requests no connection was free for
var waitingHead = 0
var idle = Array(connections.indices)
var latencies: [UInt32] = []
latencies.reserveCapacity(1 << 20)
var failures = 0, sent = 0, position = 0

@MainActor func send(on index: Int, due: UInt64) {
    let connection = connections[index]
    let forTarget = requests[index % options.targets.count]
    position = (position + 1) % forTarget.count
    if !connection.send(forTarget[position], due: due) { failures += 1 }
    sent += 1
}

@MainActor func armTimer(at time: UInt64) {
    var spec = itimerspec(it_interval: timespec(), it_value: timespec(tv_sec: Int(time / 1_000_000_000), tv_nsec: Int(time % 1_000_000_000)))
    timerfd_settime(timer, Int32(TFD_TIMER_ABSTIME), &spec, nil)
}

if interval == 0 {
    // Closed loop: every connection busy all the time.
    while !idle.isEmpty { send(on: idle.removeFirst(), due: now()) }
} else {
    armTimer(at: nextDue)
}

var events = [epoll_event](repeating: epoll_event(), count: 256)
var chunk = [UInt8](repeating: 0, count: 1 << 16)
var scheduling = true
while true {
    let time = now()
    if time >= end { scheduling = false }
    if !scheduling && idle.count == connections.count { break }
    if !scheduling && time >= end + 10_000_000_000 { break }  // answers still missing 10 s later count as failures
    let count = epoll_wait(poll, &events, Int32(events.count), 100)
    for event in events.prefix(Int(max(0, count))) {
        if event.data.u64 == UInt64.max {
            var expirations: UInt64 = 0
            _ = read(timer, &expirations, 8)
            let current = now()
            while scheduling && nextDue <= current {
                // The connection idle longest: requests spread over the connections (and targets) in turn.
                if !idle.isEmpty { send(on: idle.removeFirst(), due: nextDue) } else { waiting.append(nextDue) }
                nextDue += interval
            }
            if scheduling { armTimer(at: nextDue) }
            continue
        }
        let index = Int(event.data.u64)
        let connection = connections[index]
        let got = chunk.withUnsafeMutableBytes { read(connection.descriptor, $0.baseAddress, $0.count) }
        if got <= 0 {
            if got < 0 && errno == EAGAIN { continue }
            fail("connection \(index) closed by the server")
        }
        connection.buffer.append(contentsOf: chunk[0..<got])
        while let status = connection.takeResponse() {
            let done = now()
            if let due = connection.due { latencies.append(UInt32(min(UInt64(UInt32.max), (done - due) / 1_000))) }
            if status != 200 { failures += 1 }
            connection.due = nil
            if interval == 0 {
                if scheduling { send(on: index, due: done) } else { idle.append(index) }
            } else if waitingHead < waiting.count {
                send(on: index, due: waiting[waitingHead])
                waitingHead += 1
            } else {
                idle.append(index)
            }
        }
    }
}
let seconds = Double(now() - start) / 1e9
failures += sent - latencies.count  // never answered
latencies.sort()
@MainActor func percentile(_ p: Double) -> UInt32 { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
print(#"{"requests": \#(latencies.count), "seconds": \#(String(format: "%.3f", seconds)), "failed": \#(failures), "unsent": \#(waiting.count - waitingHead), "p50_us": \#(percentile(0.5)), "p90_us": \#(percentile(0.9)), "p99_us": \#(percentile(0.99)), "p999_us": \#(percentile(0.999)), "max_us": \#(latencies.last ?? 0)}"#)
