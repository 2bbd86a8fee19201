import Synchronization

/// One SSH connection to one host, reused by every command of a run through channels.
///
/// All libssh2 work runs on the connection's own thread (`ConnectionThread`), outside
/// Swift's cooperative pool, so a stalled host blocks only that thread. Calls from several
/// tasks run one after another.
public final class SSHConnection: Sendable {
    /// The target this connection reaches.
    public let target: SSHTarget
    private let engine: SessionEngine
    private let queue: ConnectionThread
    /// Whether `queue` was lent by `onHostThread`; `release` then ends the loan.
    private let lent: Bool
    private let log = Mutex<[CommandResult]>([])
    /// The key `open` was given, which `reopen` passes on.
    private let key: SSHPrivateKey?

    private init(target: SSHTarget, key: SSHPrivateKey?) {
        self.target = target
        self.key = key
        if let thread = ConnectionThread.hostThread, thread.claim() {
            self.queue = thread
            self.lent = true
        } else {
            self.queue = ConnectionThread.take()
            self.lent = false
        }
        self.engine = SessionEngine(target: target, wakePipe: queue.wakePipe)
    }

    deinit {
        if lent { queue.release() } else { queue.recycle() }
    }

    /// Runs `body` with a connection thread of its own as the task's executor: `body`'s code
    /// runs on that thread, and the first connection it opens at a time uses the same thread.
    /// A host's work then passes between threads only where it starts and ends, not twice
    /// per engine call: with `exec`, 5 futex(2) calls and 13 thread switches per host
    /// instead of 12 and 16.
    ///
    /// `body` must not block its thread waiting for work that is queued on the same
    /// thread. Child tasks it starts run there too, and so does any timer it waits on, so
    /// none of them runs while a connection's call blocks in poll(2). Later connections,
    /// opened while the first is still in use, get threads of their own. A connection that
    /// outlives `body` keeps the thread until it ends, and no other host gets it before.
    public static func onHostThread<Result: Sendable>(_ body: () async throws -> Result)
        async rethrows -> Result
    {
        let thread = ConnectionThread.take()
        thread.openLending()
        // The caller may still run on the thread until it next suspends. A host that takes
        // the thread meanwhile waits for that, which is short because `body` is done.
        defer { thread.closeLending() }
        return try await withTaskExecutorPreference(thread) {
            try await ConnectionThread.$hostThread.withValue(thread) { try await body() }
        }
    }

    /// Connects, checks the host key and authenticates within the target's timeouts.
    /// `key` is the target's private key loaded beforehand (see `SSHKeyRing`); when nil and
    /// the target names a key file, the file is loaded here.
    /// - Throws: `SSHError`.
    public static func open(_ target: SSHTarget, key: SSHPrivateKey? = nil) async throws
        -> SSHConnection
    {
        let connection = SSHConnection(target: target, key: key)
        // Loading a key may run a passphrase KDF, so it too stays off the cooperative pool.
        try await connection.onQueue { engine in
            do {
                try engine.open(key: resolveKey(for: target, given: key))
            } catch {
                // Shut the half-open session down here, on this connection's own thread,
                // rather than wherever the last reference to the engine happens to go.
                engine.close()
                throw error
            }
        }
        return connection
    }

    private static func resolveKey(for target: SSHTarget, given: SSHPrivateKey?) throws(SSHError)
        -> SSHPrivateKey?
    {
        if let given { return given }
        guard let path = target.identityFile else { return nil }
        do {
            return try SSHPrivateKey.load(
                path: path, passphrase: target.passphrase,
                passphraseVariable: target.passphraseVariable)
        } catch {
            throw SSHError(
                host: target.name, endpoint: target.endpoint, phase: .authentication,
                reason: .privateKey(error))
        }
    }

    /// Runs `command` through the login shell with no pty and stdin at EOF after `stdin`.
    /// A non-zero exit, a signal, a missing exit status or the timeout are outcomes in the
    /// result, not errors.
    /// - Parameters:
    ///   - timeout: the command's limit; nil uses the target's `commandTimeout`.
    ///   - become: whether to wrap the command for the target's `become` setting.
    ///   - sink: receives every chunk as it arrives, e.g. to keep full output in a file.
    ///   - captureLimit: the bytes of each stream the result keeps in memory; nil uses the
    ///     target's `outputLimit`. Callers that keep output through `sink` pass a small one.
    /// - Throws: `SSHError` when the channel cannot be used, the run is cancelled, or
    ///   `sudo -n`/`doas -n` needs a password.
    @discardableResult
    public func run(
        _ command: String, stdin: [UInt8] = [], timeout: Duration? = nil, become: Bool = true,
        sink: OutputSink? = nil, captureLimit: Int? = nil
    ) async throws -> CommandResult {
        let line = become ? engine.wrapForBecome(command) : command
        let request = CommandRequest(
            command: line, stdin: stdin, timeout: timeout ?? target.commandTimeout, sink: sink,
            captureLimit: captureLimit ?? target.outputLimit)
        let result = try await onQueue { engine in try engine.run(request) }
        log.withLock { $0.append(result) }
        guard become, target.become != .none else { return result }
        let tool = target.become.rawValue
        if BecomeCheck.passwordRequired(result, tool: tool) {
            throw SSHError(
                host: target.name, endpoint: engine.endpoint, phase: .command,
                reason: .becomePasswordRequired(tool: tool))
        }
        if BecomeCheck.toolMissing(result, tool: tool) {
            throw SSHError(
                host: target.name, endpoint: engine.endpoint, phase: .command,
                reason: .becomeToolMissing(tool: tool))
        }
        return result
    }

    /// Uploads `bytes` to `path` with permission bits `mode`, atomically replacing any
    /// existing file. Uses the command timeout of the target unless `timeout` is given.
    /// - Throws: `SSHError`.
    public func upload(_ bytes: [UInt8], to path: String, mode: UInt32, timeout: Duration? = nil)
        async throws
    {
        let limit = timeout ?? target.commandTimeout
        try await onQueue { engine in try engine.upload(bytes, to: path, mode: mode, timeout: limit)
        }
    }

    /// Every command result of this connection so far, in order.
    public var history: [CommandResult] { log.withLock { $0 } }

    /// The numeric `address:port` actually connected to.
    public var endpoint: String { engine.endpoint }

    /// Stops the operation in progress and every later one with `SSHFailure.cancelled`;
    /// safe from any thread, e.g. a SIGINT handler's task. A command cut off this way is
    /// stopped on the host first, as after its timeout (SIGTERM, then SIGKILL), which
    /// takes up to about 4 s on a responsive host and gives up after 8.5 s.
    public func cancel() {
        engine.cancel()
    }

    /// Opens a new connection to the same target with the same key, such as to clean up
    /// on the host after `cancel` ended this one for good.
    ///
    /// A cancelled calling task cancels the new connection at once too, so a cleanup after
    /// Ctrl-C calls this from an unstructured `Task`, which is not cancelled.
    /// - Throws: `SSHError`.
    public func reopen() async throws -> SSHConnection {
        try await Self.open(target, key: key)
    }

    /// Closes open channels and the session; waits at most about a second for the server.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let engine = self.engine
            queue.async {
                engine.close()
                continuation.resume()
            }
        }
    }

    /// Runs `body` on the connection's queue; task cancellation cancels the engine, whose
    /// poll(2) wakes at once through its self-pipe.
    private func onQueue<Result: Sendable>(
        _ body: @escaping @Sendable (SessionEngine) throws -> Result
    ) async throws -> Result {
        let engine = self.engine
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    let result = Swift.Result { try body(engine) }
                    engine.sendHeldOutput()
                    continuation.resume(with: result)
                }
            }
        } onCancel: {
            engine.cancel()
        }
    }
}

/// Recognizes the message of sudo and doas when `-n` meets a password requirement.
enum BecomeCheck {
    /// Returns whether `result` failed because `tool` required a password. Only the first
    /// line of stderr counts, because the tool writes there before the command starts, so
    /// a failing command that writes "password" itself is not mistaken for it.
    static func passwordRequired(_ result: CommandResult, tool: String) -> Bool {
        guard result.outcome != .exited(0) else { return false }
        let line = firstLine(result)

        // sudo -n writes "sudo: a password is required" and doas -n "doas: Authentication
        // required".
        let rejections = ["password is required", "authentication required"]
        if line.hasPrefix("\(tool):"), rejections.contains(where: { line.contains($0) }) {
            return true
        }

        // A tool that ignores -n prompts instead. Debian's sudo prompts "[sudo] password for
        // USER: ", upstream sudo "Password: " and OpenBSD's doas "\rdoas (USER@HOST) password: ".
        let prompts = ["[\(tool)] password", "\(tool) (", "password:"]
        return prompts.contains { line.hasPrefix($0) } && line.contains("password")
    }

    /// Returns whether `result` failed because the login shell did not find `tool`. sh and
    /// bash write "exec: sudo: not found" or "sudo: command not found", and csh "sudo:
    /// Command not found.", each on the first line of stderr.
    static func toolMissing(_ result: CommandResult, tool: String) -> Bool {
        guard result.outcome != .exited(0) else { return false }
        let line = firstLine(result)
        return line.contains("\(tool): not found") || line.contains("\(tool): command not found")
    }

    /// The first line of stderr, lowercased, without the carriage returns and spaces a
    /// prompt may start with.
    private static func firstLine(_ result: CommandResult) -> String {
        let text = result.stderr.text.drop { $0 == "\r" || $0 == " " }
        return text.prefix { !$0.isNewline }.lowercased()
    }
}
