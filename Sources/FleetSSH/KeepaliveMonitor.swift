/// The keepalive schedule of one connection and the count of keepalives the peer left
/// unanswered, as OpenSSH's ServerAliveInterval and ServerAliveCountMax work.
///
/// A keepalive goes out once `interval` has passed with no byte received and no keepalive
/// sent. Any byte received afterwards counts as the reply to every keepalive sent before it, because
/// libssh2 1.10 reads the replies itself and reports none of them. When `countMax`
/// keepalives in a row stay unanswered for a further `interval`, the peer counts as dead.
struct KeepaliveMonitor: Sendable {
    /// The engine's next step.
    enum Action: Equatable {
        /// Send a keepalive now, then wait at most until the returned instant.
        case send(nextCheck: ContinuousClock.Instant)
        /// Wait at most until the returned instant, then check again.
        case wait(until: ContinuousClock.Instant)
        /// Give up on the peer: `countMax` keepalives stayed unanswered.
        case dead
    }

    /// Time between keepalives while nothing arrives.
    let interval: Duration
    /// Unanswered keepalives after which the peer counts as dead.
    let countMax: Int

    /// Keepalives sent since the last byte received.
    private(set) var unanswered = 0
    private var lastSent: ContinuousClock.Instant?
    private var watchStart: ContinuousClock.Instant

    /// Creates a monitor that starts watching at `now`.
    init(interval: Duration, countMax: Int, now: ContinuousClock.Instant = .now) {
        self.interval = interval
        self.countMax = max(1, countMax)
        self.watchStart = now
    }

    /// Starts watching afresh at `now`, for a new command or upload. Silence between two
    /// operations is the caller's own pause, so the peer has nothing to reply to.
    mutating func restart(now: ContinuousClock.Instant = .now) {
        watchStart = now
        lastSent = nil
        unanswered = 0
    }

    /// Decides the next step at `now`, given the time the last byte arrived from the peer.
    /// Call `sent(at:)` after carrying out `.send`.
    mutating func check(now: ContinuousClock.Instant, lastReceived: ContinuousClock.Instant)
        -> Action
    {
        if let lastSent, lastReceived >= lastSent {
            unanswered = 0
            self.lastSent = nil
        }
        let quietSince = [watchStart, lastReceived, lastSent].compactMap { $0 }.max() ?? now
        let due = quietSince.advanced(by: interval)
        guard now >= due else { return .wait(until: due) }
        if unanswered >= countMax { return .dead }
        return .send(nextCheck: now.advanced(by: interval))
    }

    /// Records a keepalive sent at `now`.
    mutating func sent(at now: ContinuousClock.Instant) {
        lastSent = now
        unanswered += 1
    }
}
