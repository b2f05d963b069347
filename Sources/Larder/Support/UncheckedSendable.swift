/// A value handed to another thread that the type system cannot prove safe to share: the
/// code that wraps it makes sure only one thread uses it at a time, and says how.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
