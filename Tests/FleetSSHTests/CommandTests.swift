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

    @Test(
        "a channel closed with or without an exit status",
        arguments: [
            ("exit 0", CommandOutcome.exited(0)),
            ("exit 7", .exited(7)),
            ("no-status", .noExitStatus),
        ])
    func scriptedServer(command: String, outcome: CommandOutcome) async throws {
        // OpenSSH's sshd always sends an exit status or signal, so a paramiko server stands in.
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let peer = try await fleet.peer("scripted")
        var target = fleet.target(checking: .off)
        target.address = peer.address
        target.port = peer.port
        let connection = try await SSHConnection.open(target)
        let result = try await connection.run(command)
        #expect(result.outcome == outcome)
        #expect(result.stdout.text == "out\n")
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
