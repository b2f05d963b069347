import Hummingbird
import NIOCore
import NIOPosix
import Logging
import ServiceLifecycle

extension FeatureServer {
    /// Starts the server, calls `body` with the port it listens on, then shuts it down
    /// gracefully (requests in flight finish) and returns what `body` returned: for tests, and
    /// for apps that serve for a while. Give `port: 0` in the configuration for a free port.
    public func withRunning<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let services = self.services { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                // A server that cannot start ends the wait for its port too.
                defer { continuation.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await tasks.waitForAll()
                throw CancellationError()
            }
            let result: Result<T, any Error>
            do { result = .success(try await body(port)) } catch { result = .failure(error) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try result.get()
        }
    }

    /// Makes SwiftNIO's event loops (`threads` of them; default one per core) Swift
    /// Concurrency's global executor for this process, so that a request runs on the thread
    /// that read it instead of hopping to Swift's pool and back — about a fifth more requests
    /// per second (Docs/Performance.md). Call it once, first thing, in a process that serves
    /// (`larder serve` does), and leave `Configuration.workers` nil. Blocking work stays off
    /// those threads: the writer runs on a thread of its own.
    /// - Returns: whether it took over (false if Swift Concurrency cannot be taken over here).
    @discardableResult
    public static func runTasksOnNetworkThreads(_ threads: Int? = nil) -> Bool {
        if let threads { NIOSingletons.groupLoopCountSuggestion = max(1, threads) }
        return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
