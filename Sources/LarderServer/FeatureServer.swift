import Foundation
import Hummingbird
import Larder
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A feature server over a store, speaking Feast's HTTP protocol (Docs/Server.md): any HTTP
/// client, and Feast's own SDK with a `remote` online store, reads the store through it.
///
/// Each read runs in one read transaction, so a request sees one consistent snapshot; Hummingbird
/// serves requests on all cores. A server made with ``init(watching:every:configuration:logger:)``
/// switches to a newer export moved into place, between requests (Docs/Scaling.md).
public struct FeatureServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port (`onRunning` is told which).
        public var port: Int
        /// Refuse writes with 403.
        public var readOnly: Bool
        /// A request body over this many bytes is refused with 413.
        public var maxBodyBytes: Int
        /// Network threads (SwiftNIO's event loops); nil: one per core. Requests themselves run
        /// on Swift's concurrent executor, on every core.
        public var workers: Int?
        /// A log line per request (info level); errors are logged either way.
        public var accessLog: Bool
        /// The snapshot whose statistics `/metrics`' drift gauges compare each view's newest
        /// snapshot with (Docs/Monitoring.md); nil: no drift gauges.
        public var driftBaseline: UInt64?

        public init(host: String = "127.0.0.1", port: Int = 6566, readOnly: Bool = false, maxBodyBytes: Int = 16 << 20, workers: Int? = nil,
                    accessLog: Bool = true, driftBaseline: UInt64? = nil) {
            self.host = host
            self.port = port
            self.readOnly = readOnly
            self.maxBodyBytes = maxBodyBytes
            self.workers = workers
            self.accessLog = accessLog
            self.driftBaseline = driftBaseline
        }
    }

    /// The store requests read now.
    public var store: FeatureStore { served.store }
    public let configuration: Configuration
    let served: ServedStore
    let metrics: ServerMetrics
    let logger: Logger
    /// Set when serving the newest export at a path.
    private let watcher: ExportWatcher?

    public init(store: FeatureStore, configuration: Configuration = Configuration(), logger: Logger = Logger(label: "larder.serve")) {
        self.served = ServedStore(store)
        self.metrics = ServerMetrics()
        self.configuration = configuration
        self.logger = logger
        self.watcher = nil
    }

    /// Serves the export at `path` read-only (writes are refused with 403), and every
    /// `interval` looks whether another export has been moved into place there — a symlink
    /// switched to a new directory, or a directory renamed over — and if so, once it opens,
    /// answers later requests from it. Requests in flight finish on the export they started on.
    public init(watching path: String, every interval: Duration = .seconds(1), configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "larder.serve")) throws {
        let served = ServedStore(try FeatureStore.open(path, readOnly: true))
        var configuration = configuration
        configuration.readOnly = true
        let metrics = ServerMetrics()
        self.served = served
        self.metrics = metrics
        self.configuration = configuration
        self.logger = logger
        self.watcher = ExportWatcher(path: path, served: served, interval: interval, logger: logger) { _ in metrics.storeSwitched() }
    }

    /// The services that make the server: the HTTP application, and the export watcher if any.
    func services(onRunning: @escaping @Sendable (Int) async -> Void) -> [any Service] {
        [application(onRunning: onRunning)] + (watcher.map { [$0] } ?? [])
    }

    /// The server as a Hummingbird application: run it with `runService()` (stops on SIGTERM
    /// and SIGINT, finishing requests in flight) or in a service group of your own.
    /// `onRunning` is called with the bound port once the server listens.
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router()
        let metrics = self.metrics
        router.middlewares.add(ServerMiddleware(metrics: metrics, accessLog: configuration.accessLog))
        // Every route takes the served store once, and reads only it.
        let served = self.served, limit = configuration.maxBodyBytes, driftBaseline = configuration.driftBaseline
        router.get("metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition(store: served.store, driftBaseline: driftBaseline))))
        }
        router.get("health") { _, _ -> Response in
            do {
                _ = try served.store.registry
                return Response(status: .ok)
            } catch {
                throw ServerError.detail(.serviceUnavailable, "the store cannot be read: \(error)")
            }
        }
        router.post("get-online-features") { request, _ -> Response in
            let body = try await Self.body(of: request, limit: limit)
            let parsed = try OnlineFeaturesRequest(json: body)
            let store = served.store
            let response = try parsed.service.map { try store.onlineFeatures(service: $0, for: parsed.rows, options: parsed.options) }
                ?? store.onlineFeatures(parsed.features, for: parsed.rows, options: parsed.options)
            metrics.online(response)
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: OnlineFeaturesResponse.json(parsed, response))))
        }
        // Larder's own: the views and the snapshots, as the store's types encode them.
        router.get("views") { _, _ -> Response in
            try Self.encoded(["views": try served.store.registry.definitions.views])
        }
        router.get("snapshots") { _, _ -> Response in
            try Self.encoded(["snapshots": try served.store.snapshots()])
        }
        router.get("snapshots/{id}") { _, context -> Response in
            guard let id = context.parameters.get("id", as: UInt64.self) else {
                throw ServerError.detail(.unprocessableContent, "a snapshot id is a whole number")
            }
            guard let snapshot = try served.store.snapshot(id) else { throw ServerError.detail(.notFound, "snapshot \(id) does not exist") }
            return try Self.encoded(snapshot)
        }
        guard !configuration.readOnly else {
            for path in ["write-to-online-store", "push", "materialize", "materialize-incremental"] {
                router.post(RouterPath(stringLiteral: path)) { _, _ -> Response in
                    throw ServerError.detail(.forbidden, "this server is read-only (--read-only)")
                }
            }
            return application(router: router, onRunning: onRunning)
        }
        // Only a server that writes has one, never-switched store, and the writer.
        let store = served.store
        let writer = StoreWriter(store: store)
        router.post("write-to-online-store") { request, _ -> Response in
            let write = try WriteRequest(json: try await Self.body(of: request, limit: limit), targetField: "feature_view_name")
            guard let view = (try store.registry).view(named: write.target) else {
                throw ServerError.typed(.notFound, class: "FeatureViewNotFoundException", "Feature view \(write.target) does not exist")
            }
            try await writer.push(write, to: [view])
            return Self.json("null")
        }
        router.post("push") { request, _ -> Response in
            let write = try WriteRequest(json: try await Self.body(of: request, limit: limit), targetField: "push_source_name")
            let registry = try store.registry
            guard registry.source(named: write.target)?.kind == .push else {
                throw ServerError.typed(.unprocessableContent, class: "PushSourceNotFoundException", "Push source \(write.target) does not exist")
            }
            let views = registry.definitions.views.filter { $0.source == write.target }
            try await writer.push(write, to: views)
            return Response(status: .ok)
        }
        let running = MaterializationFlag()
        for (path, incremental) in [("materialize", false), ("materialize-incremental", true)] {
            router.post(RouterPath(stringLiteral: path)) { request, _ -> Response in
                    let run = try MaterializeRequest(json: try await Self.body(of: request, limit: limit), incremental: incremental)
                // One materialization at a time: another asked for meanwhile is a 409.
                guard running.start() else {
                    return Response(status: .conflict, headers: [.contentType: "application/json"],
                                    body: .init(byteBuffer: ByteBuffer(string: #"{"error":"a materialization is in progress","feature_views":"# + run.viewList + "}")))
                }
                if request.uri.queryParameters["async"] == "true" {
                    Task {
                        defer { running.finish() }
                        let started = ContinuousClock.now
                        let succeeded = (try? await writer.materialize(run)) != nil
                        metrics.materialization(elapsed: ContinuousClock.now - started, succeeded: succeeded)
                    }
                    return Response(status: .accepted, headers: [.contentType: "application/json"],
                                    body: .init(byteBuffer: ByteBuffer(string: #"{"status":"accepted","feature_views":"# + run.viewList + "}")))
                }
                defer { running.finish() }
                let started = ContinuousClock.now
                do {
                    _ = try await writer.materialize(run)
                    metrics.materialization(elapsed: ContinuousClock.now - started, succeeded: true)
                } catch {
                    metrics.materialization(elapsed: ContinuousClock.now - started, succeeded: false)
                    throw error
                }
                return Self.json("null")
            }
        }
        return application(router: router, onRunning: onRunning)
    }

    private func application(router: Router<BasicRequestContext>, onRunning: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "larder"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            // A group of its own lives as long as the process (the command runs one server).
            eventLoopGroupProvider: configuration.workers.map { .shared(MultiThreadedEventLoopGroup(numberOfThreads: max(1, $0))) } ?? .singleton,
            logger: logger)
    }

    /// Runs until SIGTERM or SIGINT, then finishes the requests in flight.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await ServiceGroup(configuration: .init(services: services(onRunning: onRunning), gracefulShutdownSignals: [.sigterm, .sigint],
                                                    logger: logger)).run()
    }

    /// The whole body, or 413 past `limit`.
    static func body(of request: Request, limit: Int) async throws -> Data {
        do {
            var buffer = try await request.body.collect(upTo: limit)
            return buffer.readData(length: buffer.readableBytes) ?? Data()
        } catch is NIOTooManyBytesError {
            throw ServerError.detail(.contentTooLarge, "the request body is larger than \(limit) bytes")
        }
    }

    static func encoded(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(value))))
    }

    static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Around every request: turns any error a route throws into its JSON answer (Feast's clients
/// decode every error body as JSON; Hummingbird would answer an unknown error with an empty
/// 500), counts and times the request by its route's template, and logs one line.
struct ServerMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    let accessLog: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            let answer: ServerError = if let error = error as? HTTPError {
                .detail(error.status, error.body ?? error.status.reasonPhrase)
            } else {
                .from(error)
            }
            response = try answer.response(from: request, context: context)
        }
        let elapsed = ContinuousClock.now - started
        let endpoint = context.endpointPath ?? "unknown"
        metrics.request(endpoint: endpoint, status: response.status.code, elapsed: elapsed)
        guard accessLog || response.status.code >= 500 else { return response }
        context.logger.info("request", metadata: [
            "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
            "microseconds": "\(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)",
        ])
        return response
    }
}
