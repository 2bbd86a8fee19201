/// A point in time after which a blocking step gives up, on the monotonic clock.
struct Deadline: Sendable {
    /// The instant the step must finish by.
    let instant: ContinuousClock.Instant

    /// The timeout this deadline was made from, for messages.
    let timeout: Duration

    /// Creates a deadline `timeout` from now.
    init(after timeout: Duration) {
        self.instant = ContinuousClock.now.advanced(by: timeout)
        self.timeout = timeout
    }

    /// A deadline so far away that it never passes in practice.
    static var never: Deadline { Deadline(after: .seconds(365 * 24 * 3600)) }

    /// True once the deadline has passed.
    var hasPassed: Bool { ContinuousClock.now >= instant }

    /// Milliseconds left, rounded up, clamped to `0...Int32.max`, as poll(2) takes them.
    var remainingMilliseconds: Int32 {
        Deadline.milliseconds(from: .now, to: instant)
    }

    /// Milliseconds from `start` to `end`, rounded up, clamped to `0...Int32.max`.
    static func milliseconds(
        from start: ContinuousClock.Instant, to end: ContinuousClock.Instant
    ) -> Int32 {
        let left = start.duration(to: end)
        if left <= .zero { return 0 }
        let milliseconds =
            left.components.seconds * 1000
            + (left.components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }

    /// Returns the earlier of two deadlines.
    static func earliest(_ a: Deadline, _ b: Deadline?) -> Deadline {
        guard let b else { return a }
        return b.instant < a.instant ? b : a
    }
}

extension Duration {
    /// Whole and fractional seconds, as people read them in messages: `10 s`, `0.5 s`.
    var secondsText: String {
        let milliseconds =
            components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        let fraction = String(milliseconds % 1000).leftPadded(to: 3)
        var text = "\(milliseconds / 1000).\(fraction)"
        while text.hasSuffix("0") { text.removeLast() }
        return text + " s"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
