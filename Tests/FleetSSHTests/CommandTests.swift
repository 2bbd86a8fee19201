import FleetSSH
import Foundation
import Synchronization
import Testing

@Suite("remote commands on real sshd")
struct CommandTests {
    @Test(
        "exit codes and signals are distinct outcomes",
        arguments: [
            ("true", CommandOutcome.exited(0)),
            ("exit 3", .exited(3)),
            ("exit 255", .exited(255)),
            ("kill -TERM $$", .signaled("TERM")),
            ("kill -KILL $$", .signaled("KILL")),
            ("kill -SEGV $$", .signaled("SEGV")),
        ])
    func outcomes(command: String, outcome: CommandOutcome) async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        #expect(try await connection.run(command).outcome == outcome)
        await connection.close()
    }

    @Test("lost connection gives no exit status, never exit 0")
    func noExitStatus() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        // The login shell's parent is the sshd session process; killing it drops the connection.
        let result = try await connection.run("echo before; kill -KILL $PPID; sleep 5")
        #expect(result.outcome == .noExitStatus)
        await connection.close()
    }

    @Test("50 MiB of stdout is drained and bounded")
    func largeStdout() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        var target = fleet.target()
        target.outputLimit = 1 << 16
        let connection = try await SSHConnection.open(target)
        let result = try await connection.run("head -c 52428800 /dev/zero; echo end >&2")
        #expect(result.outcome == .exited(0))
        #expect(result.stdout.totalBytes == 52_428_800)
        #expect(result.stdout.truncated)
        #expect(result.stdout.bytes.count == 1 << 16)
        #expect(result.stderr.text == "end\n")
        await connection.close()
    }

    @Test("2 MiB of stderr before stdout does not deadlock")
    func stderrFirst() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let result = try await connection.run("head -c 2097152 /dev/zero >&2; echo out")
        #expect(result.stderr.totalBytes == 2_097_152)
        #expect(result.stdout.text == "out\n")
        #expect(result.outcome == .exited(0))
        await connection.close()
    }

    @Test("interleaved lines and no output")
    func interleaved() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let script = "for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done"
        let result = try await connection.run(script)
        #expect(result.stdout.text == "out1\nout2\nout3\nout4\nout5\n")
        #expect(result.stderr.text == "err1\nerr2\nerr3\nerr4\nerr5\n")
        let silent = try await connection.run("true")
        #expect(silent.stdout.totalBytes == 0)
        #expect(silent.stderr.totalBytes == 0)
        await connection.close()
    }

    @Test("command waiting for input sees EOF at once")
    func stdinAtEOF() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let prompt = try await connection.run(
            "printf 'Password: ' >&2; read answer || exit 7", timeout: .seconds(10))
        #expect(prompt.outcome == .exited(7))
        #expect(prompt.duration < .seconds(5))
        let tty = try await connection.run("test -t 0 || echo no-tty")
        #expect(tty.stdout.text == "no-tty\n")
        let echo = try await connection.run("cat", stdin: Array("given\n".utf8))
        #expect(echo.stdout.text == "given\n")
        await connection.close()
    }

    @Test("command too long for one request is named, connection stays usable")
    func commandTooLong() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let command = "true " + String(repeating: "x", count: 40_000)
        let error = await #expect(throws: SSHError.self) {
            try await connection.run(command)
        }
        #expect(error?.reason == .commandTooLong(bytes: command.utf8.count))
        let next = try await connection.run("echo still here")
        await connection.close()
        #expect(next.stdout.text == "still here\n")
    }

    @Test("per-command timeout closes the channel and keeps the connection")
    func timeout() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let slow = try await connection.run("echo started; sleep 20", timeout: .seconds(1))
        #expect(slow.outcome == .timedOut(after: .seconds(1)))
        #expect(slow.stdout.text == "started\n")
        #expect(slow.duration < .seconds(5))
        #expect(try await connection.run("echo again").stdout.text == "again\n")
        await connection.close()
    }

    @Test(
        "a timed-out command is stopped on its host",
        arguments: [
            ("echo $$; exec sleep 60", RemoteStop.terminated),
            ("trap '' TERM; echo $$; sleep 60", .killed),
        ])
    func timeoutStopsCommand(command: String, stop: RemoteStop) async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let result = try await connection.run(command, timeout: .seconds(1))
        let pid = try TestProcess.printedPid(result)
        defer { kill(pid, SIGKILL) }
        #expect(result.outcome == .timedOut(after: .seconds(1)))
        #expect(result.stop == stop)
        #expect(try await TestProcess.ends(pid))
        #expect(try await connection.run("echo again").stdout.text == "again\n")
        await connection.close()
    }

    @Test("a timed-out command is stopped under a csh login shell")
    func stopUnderCsh() async throws {
        let fleet = try await TestFleet.start(
            count: 1, environment: ["FLEET_LOGIN_SHELL": "/usr/bin/tcsh"])
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        #expect(try await connection.run("echo $shell").stdout.text == "/usr/bin/tcsh\n")
        // csh has no $$ in single quotes, so sh prints the pid it keeps after exec.
        let result = try await connection.run(
            "exec /bin/sh -c 'echo $$; exec sleep 60'", timeout: .seconds(1))
        let pid = try TestProcess.printedPid(result)
        defer { kill(pid, SIGKILL) }
        #expect(result.stop == .terminated)
        #expect(try await TestProcess.ends(pid))
        await connection.close()
    }

    @Test("a daemon the command started outside its process group is left running")
    func daemonSurvives() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        // setsid gives the sleep a session and process group of its own, as a daemon has.
        let result = try await connection.run(
            "setsid sleep 60 </dev/null >/dev/null 2>&1 & echo $!; sleep 60",
            timeout: .seconds(1))
        let daemon = try TestProcess.printedPid(result)
        defer { kill(daemon, SIGKILL) }
        #expect(result.stop == .terminated)
        #expect(kill(daemon, 0) == 0)
        await connection.close()
    }

    /// Runs `echo $$; exec sleep 60` on `connection` in a task, and returns the task and
    /// the sleep's pid once the command printed it.
    private static func startSleep(on connection: SSHConnection) async throws
        -> (task: Task<CommandResult, any Error>, pid: Int32)
    {
        let printed = Mutex<[UInt8]>([])
        let sink = OutputSink { _, bytes in printed.withLock { $0 += bytes } }
        let task = Task { try await connection.run("echo $$; exec sleep 60", sink: sink) }
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(50))
            let text = printed.withLock { String(decoding: $0, as: UTF8.self) }
            if text.hasSuffix("\n"), let pid = Int32(text.dropLast()) { return (task, pid) }
        }
        task.cancel()
        throw CancellationError()
    }

    @Test("stopping a timed-out command leaves other connections' commands alone")
    func stopKeepsOtherConnections() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let other = try await SSHConnection.open(fleet.target())
        let (running, survivor) = try await Self.startSleep(on: other)
        defer { kill(survivor, SIGKILL) }

        let connection = try await SSHConnection.open(fleet.target())
        let result = try await connection.run("sleep 60", timeout: .seconds(1))
        #expect(result.stop == .terminated)
        #expect(kill(survivor, 0) == 0)
        await connection.close()
        running.cancel()
        _ = try? await running.value
        await other.close()
    }

    @Test("cancelling a run stops its command on the host")
    func cancelStopsCommand() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let (task, running) = try await Self.startSleep(on: connection)
        defer { kill(running, SIGKILL) }
        task.cancel()
        await #expect(throws: (any Error).self) { try await task.value }
        #expect(try await TestProcess.ends(running))
        await connection.close()
    }

    @Test("one connection serves many channels, with keepalives")
    func reuse() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        var target = fleet.target()
        target.keepaliveInterval = .seconds(1)
        let connection = try await SSHConnection.open(target)
        for index in 0..<20 {
            #expect(try await connection.run("echo \(index)").stdout.text == "\(index)\n")
        }
        #expect(try await connection.run("sleep 2.5; echo kept").stdout.text == "kept\n")
        #expect(connection.history.count == 21)
        await connection.close()
    }

    @Test("sink receives every byte as it arrives")
    func sink() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        var target = fleet.target()
        target.outputLimit = 1024
        let connection = try await SSHConnection.open(target)
        let received = Mutex<(out: Int, err: Int)>((0, 0))
        let sink = OutputSink { stream, bytes in
            received.withLock {
                if stream == .stdout { $0.out += bytes.count } else { $0.err += bytes.count }
            }
        }
        let result = try await connection.run("head -c 1000000 /dev/zero; echo x >&2", sink: sink)
        #expect(result.stdout.truncated)
        #expect(received.withLock { $0.out } == 1_000_000)
        #expect(received.withLock { $0.err } == 2)
        await connection.close()
    }

    @Test("home and PATH belong to the test host")
    func hostEnvironment() async throws {
        let fleet = try await TestFleet.start(
            count: 1, environment: ["FLEET_HOST_PATH": "/opt/sim/bin"])
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let result = try await connection.run(
            "ls -A ~; echo \"$PATH\"; echo \"$FREEBSD_SIM_STATE\"")
        #expect(
            result.stdout.text
                == "/opt/sim/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
                + fleet.directory + "/host01/sim\n")
        await connection.close()
    }
}
