import Synchronization

/// A dictionary that concurrent host tasks fill and the command reads after: values such
/// as a host's printed lines or its facts, keyed by host name.
final class SharedTable<Value: Sendable>: Sendable {
    private let storage = Mutex([String: Value]())

    /// Stores `value` for `key`, replacing any earlier value.
    func set(_ key: String, _ value: Value) {
        storage.withLock { $0[key] = value }
    }

    /// Returns the value stored for `key`, if any.
    func value(_ key: String) -> Value? {
        storage.withLock { $0[key] }
    }

    /// Returns every stored value by key.
    var all: [String: Value] { storage.withLock { $0 } }
}
