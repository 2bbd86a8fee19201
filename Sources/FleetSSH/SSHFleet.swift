/// Runs work on many hosts in parallel, at most `forks` at a time.
public enum SSHFleet {
    /// Hosts in flight when the caller gives no `forks`, as Ansible's default `forks` is 5
    /// and OpenSSH's default MaxStartups begins refusing at 10 unauthenticated connections.
    public static let defaultForks = 10

    /// Opens one connection per target, runs `body` on it, and returns one result per
    /// target in target order. A slow or dead host holds only its own slot, for at most its
    /// own timeouts. Cancelling the calling task starts no more hosts, cancels open
    /// connections (closing their channels) and still returns every host: those never
    /// started are `.notStarted`.
    /// - Parameters:
    ///   - keys: keys loaded beforehand with `SSHKeyRing`; a target whose key failed to load
    ///     is reported unreachable without being contacted. Nil loads keys per host.
    ///   - body: the host's work; each `run` it makes is recorded in the host's result.
    public static func run(
        _ targets: [SSHTarget], forks: Int = defaultForks, keys: SSHKeyRing? = nil,
        body: @escaping @Sendable (SSHConnection) async throws -> Void
    ) async -> [HostResult] {
        var results = targets.map {
            HostResult(target: $0, state: .notStarted, commands: [], duration: .zero)
        }
        await withTaskGroup(of: (Int, HostResult).self) { group in
            var next = 0
            func startNext() {
                guard next < targets.count, !Task.isCancelled else { return }
                let index = next
                let target = targets[index]
                next += 1
                group.addTask { (index, await runHost(target, keys: keys, body: body)) }
            }
            for _ in 0..<max(1, forks) { startNext() }
            for await (index, result) in group {
                results[index] = result
                startNext()
            }
        }
        return results
    }

    /// Connects to one host, runs `body`, closes the connection and sorts the outcome; all
    /// on one thread (`SSHConnection.onHostThread`).
    static func runHost(
        _ target: SSHTarget, keys: SSHKeyRing?,
        body: @Sendable (SSHConnection) async throws -> Void
    ) async -> HostResult {
        await SSHConnection.onHostThread { await runHostHere(target, keys: keys, body: body) }
    }

    private static func runHostHere(
        _ target: SSHTarget, keys: SSHKeyRing?,
        body: @Sendable (SSHConnection) async throws -> Void
    ) async -> HostResult {
        let started = ContinuousClock.now
        var result = HostResult(target: target, state: .ok, commands: [], duration: .zero)
        defer { result.duration = ContinuousClock.now - started }

        if let problem = keys?.problem(for: target) {
            let error = SSHError(
                host: target.name, endpoint: target.endpoint, phase: .authentication,
                reason: .privateKey(problem))
            result.state = .unreachable(.authentication, error)
            return result
        }
        let key = target.identityFile.flatMap { keys?.keys[$0] }

        let connection: SSHConnection
        do {
            connection = try await SSHConnection.open(target, key: key)
        } catch {
            result.state = state(for: error)
            return result
        }

        var thrown: (any Error)?
        do {
            try await body(connection)
        } catch {
            thrown = error
        }
        await connection.close()
        result.commands = connection.history
        result.state = thrown.map(state(for:)) ?? state(for: result.commands)
        return result
    }

    /// Returns the state for an error thrown while opening or using a connection.
    static func state(for error: any Error) -> HostState {
        guard let error = error as? SSHError else {
            if error is CancellationError { return .cancelled }
            return .failed(.other(String(describing: error)))
        }
        if error.reason == .cancelled { return .cancelled }
        if let reason = error.unreachableReason { return .unreachable(reason, error) }
        if case .timedOut(let after) = error.reason {
            return .timedOut(phase: error.phase, after: after)
        }
        return .failed(.ssh(error))
    }

    /// Returns the state for a host whose body finished, which the first command that did
    /// not exit 0 decides.
    static func state(for commands: [CommandResult]) -> HostState {
        guard let first = commands.first(where: { !$0.outcome.succeeded }) else { return .ok }
        switch first.outcome {
        case .timedOut(let after): return .timedOut(phase: .command, after: after)
        case .exited, .signaled, .noExitStatus: return .failed(.command(first))
        }
    }
}
