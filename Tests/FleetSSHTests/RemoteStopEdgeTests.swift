import FleetSSH
import Foundation
import Testing

@Suite("stopping unusual cut-off commands on real sshd")
struct RemoteStopEdgeTests {
    @Test("stop after output closed early")
    func closedOutput() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let result = try await connection.run(
            "echo $$; exec >&- 2>&- </dev/null; exec sleep 60", timeout: .seconds(1))
        let pid = try TestProcess.printedPid(result)
        defer { kill(pid, SIGKILL) }
        #expect(result.outcome == .timedOut(after: .seconds(1)))
        #expect(result.stop == .terminated)
        #expect(try await TestProcess.ends(pid))
        #expect(try await connection.run("echo again").stdout.text == "again\n")
        await connection.close()
    }

    @Test("stop after shell exited early")
    func orphanedGroup() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        // The shell exits at once, and the sleep it left in its group keeps the output open.
        let result = try await connection.run("sleep 60 & echo $!", timeout: .seconds(1))
        let pid = try TestProcess.printedPid(result)
        defer { kill(pid, SIGKILL) }
        #expect(result.outcome == .timedOut(after: .seconds(1)))
        let stop = try #require(result.stop)
        let ended = try await TestProcess.ends(pid)
        #expect(!stop.ended)
        #expect(stop.ended == ended)
        await connection.close()
    }

    @Test("stop when sshd dies meanwhile")
    func sshdDies() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        // SIGTERM makes the command kill the connection's sshd process while the stop runs.
        let result = try await connection.run(
            "trap 'kill -KILL $PPID' TERM; echo $$; sleep 60", timeout: .seconds(1))
        let pid = try TestProcess.printedPid(result)
        defer { kill(pid, SIGKILL) }
        #expect(result.outcome == .timedOut(after: .seconds(1)))
        #expect(result.duration < .seconds(7))
        #expect(
            result.stop
                == .notSignalled("the connection was lost while the stop command ran"))
        await connection.close()
    }

    /// Returns the live processes of this machine in process group `group`, zombies aside.
    private static func members(of group: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            // After the name come state, ppid and pgrp.
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            return fields.count > 2 && fields[0] != "Z" && Int32(fields[2]) == group
        }
    }

    @Test(
        "stop ends the whole group",
        arguments: [
            ("echo $$; sleep 60 | cat", RemoteStop.terminated),
            ("echo $$; (sleep 60; echo never)", .terminated),
            ("trap '' TERM; echo $$; sleep 60 | cat", .killed),
            ("echo $$; sh -c 'trap \"\" TERM; sleep 60' & wait", .killed),
            ("echo $$; exec 1>&-; sleep 60 | cat", .terminated),
        ])
    func wholeGroup(command: String, stop: RemoteStop) async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let result = try await connection.run(command, timeout: .seconds(1))
        let group = try TestProcess.printedPid(result)
        defer { for pid in Self.members(of: group) { kill(pid, SIGKILL) } }
        #expect(result.outcome == .timedOut(after: .seconds(1)))
        #expect(result.stop == stop)
        #expect(Self.members(of: group).isEmpty)
        await connection.close()
    }

    @Test("timeout of a command that never pauses its output")
    func floodingCommand() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        // head ends the flood after 2 GiB, so a client that never times out still returns.
        let result = try await connection.run(
            "echo $$; yes | head -c 2147483648", timeout: .seconds(1))
        let group = try TestProcess.printedPid(result)
        defer { for pid in Self.members(of: group) { kill(pid, SIGKILL) } }
        #expect(result.outcome == .timedOut(after: .seconds(1)))
        #expect(result.duration < .seconds(7))
        #expect(result.stop == .terminated)
        await connection.close()
    }

    @Test("stop beside a daemon that floods the output")
    func floodingDaemon() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        // The daemon keeps the command's output and writes it without pause after the stop,
        // so the wait for the output's end must give up on time. Once the client drops the
        // channel, the daemon's next write fails with SIGPIPE.
        let result = try await connection.run(
            "setsid sh -c 'yes | head -c 2147483648' & echo $!; sleep 60", timeout: .seconds(1))
        let daemon = try TestProcess.printedPid(result)
        defer { for pid in Self.members(of: daemon) { kill(pid, SIGKILL) } }
        #expect(result.outcome == .timedOut(after: .seconds(1)))
        #expect(result.duration < .seconds(7))
        #expect(result.stop == .terminated)
        await connection.close()
    }
}
