import FleetCore
import Synchronization

/// The blocking state machine of one SSH connection. Every method runs on the connection's
/// own thread (see `SSHConnection`), never on Swift's cooperative pool; waits use poll(2).
final class SessionEngine: @unchecked Sendable {
    // Mutable state is touched only on the connection's own thread; `cancelled` and
    // `wakePipe` are the only members other threads use.
    let target: SSHTarget
    var key: SSHPrivateKey?
    var socket: SocketHandle?
    var session: LibSSH2Session?
    var endpoint: String
    /// The keepalive schedule, set once authentication succeeded when the target has a
    /// keepalive interval.
    var keepalive: KeepaliveMonitor?
    /// The error that ended the connection: keepalives left unanswered, or the connection
    /// lost during a command. Every later command, upload and wait throws it again, because
    /// the session cannot recover.
    var lostPeer: SSHError?
    /// Set when the call in progress leaves output that nothing waits for. That output stays
    /// held after the call, and the next wait or the goodbye sends it with its own.
    var keepsHeldOutput = false
    private let cancelled = Atomic<Bool>(false)
    private let wakePipe: WakePipe?

    /// Creates an engine for `target`; nothing is contacted until `open`. `wakePipe` is the
    /// pipe of the thread the engine runs on, shared with the connections before and after.
    init(target: SSHTarget, wakePipe: WakePipe? = WakePipe()) {
        self.target = target
        self.endpoint = target.endpoint
        self.wakePipe = wakePipe
        // A wake for the thread's previous connection must not end this one's first wait.
        wakePipe?.drain()
    }

    /// Stops the current and every later wait with `SSHFailure.cancelled`; any thread.
    func cancel() {
        cancelled.store(true, ordering: .sequentiallyConsistent)
        wakePipe?.wake()
    }

    /// Whether `cancel` was called.
    var isCancelled: Bool { cancelled.load(ordering: .sequentiallyConsistent) }

    /// Builds the error for a failure in `phase`.
    func error(_ phase: SessionPhase, _ reason: SSHFailure) -> SSHError {
        SSHError(host: target.name, endpoint: endpoint, phase: phase, reason: reason)
    }

    /// Throws `cancelled` once `cancel` was called.
    func checkCancellation(_ phase: SessionPhase) throws(SSHError) {
        guard isCancelled else { return }
        session?.isAbandoned = true
        throw error(phase, .cancelled)
    }

    /// The maximum wait of one poll(2) call, in milliseconds. Longer waits loop.
    static let longestPoll: Int32 = 250

    /// Waits until the socket is ready in the directions `read`/`write`, sending keepalives
    /// while it waits; throws on cancellation, when `deadline` passes, or when the peer
    /// leaves too many keepalives unanswered. It may also return early, when a keepalive is
    /// due, so callers retry their call or wait again.
    ///
    /// With `stopping`, cancellation neither stops the wait nor ends it early, for the
    /// bounded clean-up after a command was cut off (see `stopCommand`).
    func waitForSocket(
        read: Bool, write: Bool, phase: SessionPhase, deadline: Deadline, stopping: Bool = false
    ) throws(SSHError) {
        if !stopping { try checkCancellation(phase) }
        if let lostPeer { throw lostPeer }
        if deadline.hasPassed { throw error(phase, .timedOut(after: deadline.timeout)) }
        guard let socket else { throw error(phase, .closedByPeer) }

        // NOTE: with 500 hosts each sending 1 MiB, about 1 host in 250 sat in poll(2) until
        // the keepalive timer (15 s) woke it, long after its command had finished. libssh2
        // seemed to keep data that the socket would not signal again, but the cause is not
        // found. Capping each wait lets libssh2 look again, about 4 times a second per host.
        var milliseconds = min(deadline.remainingMilliseconds, Self.longestPoll)
        if let session, session.isAuthenticated {
            milliseconds = min(milliseconds, try keepAlive(session, phase: phase))
        }
        // Output libssh2 handed over goes out before the wait, because the wait may be for
        // the reply to it. When the socket cannot take it all, the wait includes POLLOUT.
        let holding = session.map { !$0.sendHeldOutput() } ?? false
        let result: PollResult
        do {
            result = try socket.wait(
                read: read, write: write || holding, wake: stopping ? nil : wakePipe,
                milliseconds: milliseconds)
        } catch {
            throw self.error(phase, error)
        }
        if !stopping { try checkCancellation(phase) }
        // A wake meant for an earlier connection of this thread: read it, or every later
        // poll would return at once.
        if result.woken { wakePipe?.drain() }
        if result.timedOut && deadline.hasPassed {
            throw error(phase, .timedOut(after: deadline.timeout))
        }
    }

    /// Sends a keepalive when `keepalive` reports one due, and gives up on a peer that left
    /// too many unanswered. Returns the milliseconds until the next check.
    private func keepAlive(_ session: LibSSH2Session, phase: SessionPhase) throws(SSHError)
        -> Int32
    {
        guard var monitor = keepalive else { return Int32.max }
        let now = ContinuousClock.now
        switch monitor.check(now: now, lastReceived: session.lastReceived) {
        case .wait(let until):
            keepalive = monitor
            return Deadline.milliseconds(from: now, to: until)
        case .send(let nextCheck):
            // NOTE: a keepalive counts even when libssh2 could not queue it (an earlier
            // packet still waiting for the socket), because then nothing arrives either.
            _ = session.sendKeepalive()
            monitor.sent(at: now)
            keepalive = monitor
            return Deadline.milliseconds(from: now, to: nextCheck)
        case .dead:
            let lost = error(
                phase,
                .keepalivesUnanswered(count: monitor.countMax, interval: monitor.interval))
            lostPeer = lost
            // Freeing the channel and saying goodbye would each wait for the silent peer.
            socket?.shutDown()
            throw lost
        }
    }

    /// Waits in the directions libssh2 reported for its last EAGAIN; `stopping` as for
    /// `waitForSocket`.
    func waitForLibSSH2(phase: SessionPhase, deadline: Deadline, stopping: Bool = false)
        throws(SSHError)
    {
        let directions = session?.blockDirections ?? (read: true, write: false)
        let neither = !directions.read && !directions.write
        try waitForSocket(
            read: directions.read || neither, write: directions.write, phase: phase,
            deadline: deadline, stopping: stopping)
    }

    /// Calls `body` until it stops returning LIBSSH2_ERROR_EAGAIN, waiting on the socket in
    /// between; throws with `function`, the code and libssh2's message on failure.
    /// `stopping` as for `waitForSocket`.
    @discardableResult
    func perform(
        _ function: String, phase: SessionPhase, deadline: Deadline, stopping: Bool = false,
        _ body: () -> Int
    ) throws(SSHError) -> Int {
        while true {
            let code = body()
            switch LibSSH2Result.sort(code) {
            case .success:
                return code
            case .wouldBlock:
                try waitForLibSSH2(phase: phase, deadline: deadline, stopping: stopping)
            case .misuse, .failure:
                throw error(phase, lastLibSSH2Failure(function, code))
            }
        }
    }

    /// Calls `body` until it returns a handle, waiting on the socket while libssh2 reports
    /// EAGAIN through libssh2_session_last_errno. `stopping` as for `waitForSocket`.
    func performReturningHandle<Handle>(
        _ function: String, phase: SessionPhase, deadline: Deadline, stopping: Bool = false,
        _ body: () -> Handle?
    ) throws(SSHError) -> Handle {
        while true {
            if let handle = body() { return handle }
            let code = Int(session?.lastErrno ?? -1)
            switch LibSSH2Result.sort(code) {
            case .success, .failure, .misuse:
                throw error(phase, lastLibSSH2Failure(function, code))
            case .wouldBlock:
                try waitForLibSSH2(phase: phase, deadline: deadline, stopping: stopping)
            }
        }
    }

    /// Returns the failure for `code` from `function`, with libssh2_session_last_error's text.
    func lastLibSSH2Failure(_ function: String, _ code: Int) -> SSHFailure {
        let message = session?.lastError.message ?? ""
        return .libssh2(function: function, code: Int32(clamping: code), message: message)
    }

    deinit {
        close()
    }

    /// Writes the output libssh2 handed over during the call that just returned, so that no
    /// engine call returns with output held. It waits at most about a second for a full
    /// socket. Output that still does not fit goes out before the next call's. Output kept
    /// by `keepsHeldOutput` stays held.
    func sendHeldOutput() {
        if keepsHeldOutput {
            keepsHeldOutput = false
            return
        }
        guard let session, let socket, !session.sendHeldOutput(), session.hasHeldOutput else {
            return
        }
        let deadline = Deadline(after: .seconds(1))
        while session.hasHeldOutput && !deadline.hasPassed && !isCancelled {
            let result = try? socket.wait(
                read: false, write: true, wake: wakePipe,
                milliseconds: deadline.remainingMilliseconds)
            if result?.woken == true || result == nil { return }
            session.sendHeldOutput()
        }
    }

    /// Drops the session, then the socket. libssh2 sends SSH_MSG_DISCONNECT with a bounded wait.
    func close() {
        session = nil
        socket = nil
    }
}
