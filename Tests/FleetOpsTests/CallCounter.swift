import Foundation

/// A count of calls made from concurrent code, for shells that act differently on one call.
final class CallCounter: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()

    /// Returns the number of earlier calls, and counts this one.
    func next() -> Int {
        lock.withLock {
            defer { count += 1 }
            return count
        }
    }
}
