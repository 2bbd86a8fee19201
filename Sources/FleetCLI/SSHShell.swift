import FleetOps
import FleetSSH

/// Runs the apply engine's scripts over one host's SSH connection, under `/bin/sh`
/// whatever the login shell (root's shell on FreeBSD before 14.0 is csh; see
/// `RemoteScript`).
struct SSHShell: RemoteShell {
    let connection: SSHConnection

    func run(_ script: String) async throws -> RemoteResult {
        let result: CommandResult
        do {
            result = try await connection.run(
                RemoteScript.commandLine, stdin: RemoteScript.input(script))
        } catch let error as SSHError where error.reason == .cancelled {
            // Ctrl-C closed the channel: the apply engine reports an interruption, not a
            // lost connection, with what became of the script when it is known.
            guard let stop = error.stop else { throw CancellationError() }
            throw CommandInterrupted(stop: stop.description, stopped: stop.ended)
        }
        return RemoteResult(
            outcome: Self.outcome(result), stdout: result.stdout.text,
            stderr: result.stderr.text, seconds: result.duration.seconds)
    }

    /// Runs `script` over a new connection to the host, in a task that Ctrl-C did not
    /// cancel, because cancelling this shell's connection ended it for good.
    func runAfterInterrupt(_ script: String) async throws -> RemoteResult {
        let connection = self.connection
        return try await Task {
            let fresh = try await connection.reopen()
            do {
                let result = try await SSHShell(connection: fresh).run(script)
                await fresh.close()
                return result
            } catch {
                await fresh.close()
                throw error
            }
        }.value
    }

    static func outcome(_ result: CommandResult) -> RemoteOutcome {
        switch result.outcome {
        case .exited(let status): return .exited(status)
        case .signaled(let name): return .signaled(name)
        case .noExitStatus: return .noExitStatus
        case .timedOut(let after):
            return .timedOut(
                seconds: after.seconds, stop: result.stop?.description,
                stopped: result.stop?.ended ?? false)
        }
    }
}
