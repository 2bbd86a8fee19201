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
    /// When the first keepalive is due: one interval after authentication, so a short
    /// command never pays for a keepalive request and its reply.
    var firstKeepalive: Deadline?
    private let cancelled = Atomic<Bool>(false)
    private let wakePipe = WakePipe()

    /// Creates an engine for `target`; nothing is contacted until `open`.
    init(target: SSHTarget) {
        self.target = target
        self.endpoint = target.endpoint
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
        if isCancelled { throw error(phase, .cancelled) }
    }

    /// Waits until the socket is ready in the directions `read`/`write`, sending keepalives
    /// while it waits; throws on cancellation or when `deadline` passes. It may also return
    /// early, when a keepalive is due, so callers retry their call or wait again.
    func waitForSocket(
        read: Bool, write: Bool, phase: SessionPhase, deadline: Deadline
    ) throws(SSHError) {
        try checkCancellation(phase)
        if deadline.hasPassed { throw error(phase, .timedOut(after: deadline.timeout)) }
        guard let socket else { throw error(phase, .closedByPeer) }

        var milliseconds = deadline.remainingMilliseconds
        if let first = firstKeepalive, !first.hasPassed {
            milliseconds = min(milliseconds, first.remainingMilliseconds)
        } else if target.keepaliveInterval != nil, let session, session.isAuthenticated {
            let keepalive = session.sendKeepalive()
            if keepalive.code == 0 && keepalive.secondsToNext > 0 {
                milliseconds = min(milliseconds, keepalive.secondsToNext * 1000)
            }
        }
        let result: PollResult
        do {
            result = try socket.wait(
                read: read, write: write, wake: wakePipe, milliseconds: milliseconds)
        } catch {
            throw self.error(phase, error)
        }
        try checkCancellation(phase)
        if result.timedOut && deadline.hasPassed {
            throw error(phase, .timedOut(after: deadline.timeout))
        }
    }

    /// Waits in the directions libssh2 reported for its last EAGAIN.
    func waitForLibSSH2(phase: SessionPhase, deadline: Deadline) throws(SSHError) {
        let directions = session?.blockDirections ?? (read: true, write: false)
        let neither = !directions.read && !directions.write
        try waitForSocket(
            read: directions.read || neither, write: directions.write, phase: phase,
            deadline: deadline)
    }

    /// Calls `body` until it stops returning LIBSSH2_ERROR_EAGAIN, waiting on the socket in
    /// between; throws with `function`, the code and libssh2's message on failure.
    @discardableResult
    func perform(
        _ function: String, phase: SessionPhase, deadline: Deadline, _ body: () -> Int
    ) throws(SSHError) -> Int {
        while true {
            let code = body()
            switch LibSSH2Result.sort(code) {
            case .success:
                return code
            case .wouldBlock:
                try waitForLibSSH2(phase: phase, deadline: deadline)
            case .misuse:
                preconditionFailure(
                    "\(function) was misused: \(lastLibSSH2Failure(function, code))")
            case .failure:
                throw error(phase, lastLibSSH2Failure(function, code))
            }
        }
    }

    /// Calls `body` until it returns a handle, waiting on the socket while libssh2 reports
    /// EAGAIN through libssh2_session_last_errno.
    func performReturningHandle<Handle>(
        _ function: String, phase: SessionPhase, deadline: Deadline, _ body: () -> Handle?
    ) throws(SSHError) -> Handle {
        while true {
            if let handle = body() { return handle }
            let code = Int(session?.lastErrno ?? -1)
            switch LibSSH2Result.sort(code) {
            case .success, .failure:
                throw error(phase, lastLibSSH2Failure(function, code))
            case .wouldBlock:
                try waitForLibSSH2(phase: phase, deadline: deadline)
            case .misuse:
                preconditionFailure(
                    "\(function) was misused: \(lastLibSSH2Failure(function, code))")
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

    /// Drops the session, then the socket. libssh2 sends SSH_MSG_DISCONNECT with a bounded wait.
    func close() {
        session = nil
        socket = nil
    }
}
