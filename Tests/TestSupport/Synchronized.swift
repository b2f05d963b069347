import Foundation

/// A flag threads can raise and read, for stopping reader threads in concurrency tests.
public final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    public init() {}
    public var isSet: Bool { lock.withLock { raised } }
    public func set() { lock.withLock { raised = true } }
}

/// A counter threads can bump and read.
public final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    public init() {}
    public var value: Int { lock.withLock { count } }
    public func add() { lock.withLock { count += 1 } }
}
