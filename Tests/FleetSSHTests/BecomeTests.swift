import FleetSSH
import Foundation
import Testing

@Suite("become through sudo and doas")
struct BecomeTests {
    /// Writes an executable `name` into `folder` with `body` as its sh script.
    private func tool(_ folder: String, _ name: String, _ body: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    @Test("password prompt fails fast", arguments: [Become.sudo, .doas])
    func passwordPrompt(become: Become) async throws {
        let folder = NSTemporaryDirectory() + "become-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Like a misconfigured tool that ignores -n: it prompts and reads the password.
        try tool(
            folder, become.rawValue,
            "printf '[\(become.rawValue)] password for root: ' >&2\nread password\nexit 1\n")
        let fleet = try await TestFleet.start(count: 1, environment: ["FLEET_HOST_PATH": folder])
        defer { fleet.stop() }
        var target = fleet.target()
        target.become = become
        let connection = try await SSHConnection.open(target)
        let start = ContinuousClock.now
        await #expect(
            throws: SSHError(
                host: "host01", endpoint: target.endpoint, phase: .command,
                reason: .becomePasswordRequired(tool: become.rawValue))
        ) {
            try await connection.run("id -u", timeout: .seconds(20))
        }
        #expect(ContinuousClock.now - start < .seconds(5))
        await connection.close()
    }

    @Test("sudo -n wraps the command")
    func wrapping() async throws {
        let folder = NSTemporaryDirectory() + "become-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try tool(
            folder, "sudo",
            "echo \"sudo $*\" >&2\n[ \"$1\" = -n ] || exit 9\nshift 2\nexec \"$@\"\n")
        let fleet = try await TestFleet.start(count: 1, environment: ["FLEET_HOST_PATH": folder])
        defer { fleet.stop() }
        var target = fleet.target()
        target.become = .sudo
        let connection = try await SSHConnection.open(target)
        let result = try await connection.run("echo \"it's $((1 + 1))\"")
        #expect(result.outcome == .exited(0))
        #expect(result.command.hasPrefix("exec sudo -n -- sh -c "))
        #expect(result.stdout.text == "it's 2\n")
        #expect(result.stderr.text == "sudo -n -- sh -c echo \"it's $((1 + 1))\"\n")
        let plain = try await connection.run("echo plain", become: false)
        #expect(plain.stderr.totalBytes == 0)
        await connection.close()
    }

    @Test(
        "-n rejection names the tool",
        arguments: [
            (Become.sudo, "sudo: a password is required"),
            (Become.doas, "doas: Authentication required"),
        ])
    func rejection(become: Become, message: String) async throws {
        let folder = NSTemporaryDirectory() + "become-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try tool(folder, become.rawValue, "echo '\(message)' >&2\nexit 1\n")
        let fleet = try await TestFleet.start(count: 1, environment: ["FLEET_HOST_PATH": folder])
        defer { fleet.stop() }
        var target = fleet.target()
        target.become = become
        let connection = try await SSHConnection.open(target)
        await #expect(
            throws: SSHError(
                host: "host01", endpoint: target.endpoint, phase: .command,
                reason: .becomePasswordRequired(tool: become.rawValue))
        ) {
            try await connection.run("id -u")
        }
        await connection.close()
    }

    /// Returns whether `tool` is missing from the folders of a remote command's PATH on the
    /// test hosts.
    static func missing(_ tool: String) -> Bool {
        let folders = [
            "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin",
        ]
        return !folders.contains { FileManager.default.fileExists(atPath: $0 + "/" + tool) }
    }

    @Test("missing doas is named", .enabled(if: missing("doas")))
    func missingTool() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        var target = fleet.target()
        target.become = .doas
        let connection = try await SSHConnection.open(target)
        await #expect(
            throws: SSHError(
                host: "host01", endpoint: target.endpoint, phase: .command,
                reason: .becomeToolMissing(tool: "doas"))
        ) {
            try await connection.run("id -u")
        }
        await connection.close()
    }

    @Test("command password message passes through", arguments: [Become.sudo, .doas])
    func commandMentionsPassword(become: Become) async throws {
        let folder = NSTemporaryDirectory() + "become-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Like sudo and doas run without a password: the command runs as given.
        try tool(folder, become.rawValue, "shift\n[ \"$1\" = -- ] && shift\nexec \"$@\"\n")
        let fleet = try await TestFleet.start(count: 1, environment: ["FLEET_HOST_PATH": folder])
        defer { fleet.stop() }
        var target = fleet.target()
        target.become = become
        let connection = try await SSHConnection.open(target)
        let failed = try await connection.run(
            "echo 'vault: password: rejected' >&2; exit 2")
        #expect(failed.outcome == .exited(2))
        #expect(failed.stderr.text == "vault: password: rejected\n")
        let killed = try await connection.run("echo 'no password for backup' >&2; kill -TERM $$")
        #expect(killed.outcome == .signaled("TERM"))
        await connection.close()
    }
}
