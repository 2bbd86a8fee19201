import FleetSSH
import Foundation
import Testing

@Suite("SFTP upload against real sshd", .serialized)
struct UploadTests {
    @Test("upload writes exact bytes and mode", arguments: [0, 1, 65_537, 1 << 20])
    func uploadBytes(size: Int) async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
        let path = "upload-\(size).bin"
        // The hosts run on this machine, so the remote side can compare with a local copy.
        let original = fleet.directory + "/original.bin"
        try Data(bytes).write(to: URL(fileURLWithPath: original))

        let connection = try await SSHConnection.open(fleet.target())
        try await connection.upload(bytes, to: path, mode: 0o640)
        let compare = try await connection.run("cmp \(original) \(path)")
        let mode = try await connection.run("stat -c %a " + path)
        let leftovers = try await connection.run("ls -A | grep -c upload- || true")
        await connection.close()

        #expect(compare.outcome == .exited(0), "\(compare.stdout.text)")
        #expect(mode.stdout.text == "640\n")
        #expect(leftovers.stdout.text == "1\n", "only the renamed file remains")
    }

    @Test("upload replaces an existing file")
    func uploadReplaces() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        try await connection.upload(Array("first\n".utf8), to: "replaced.txt", mode: 0o644)
        try await connection.upload(Array("second\n".utf8), to: "replaced.txt", mode: 0o600)
        let content = try await connection.run("cat replaced.txt; stat -c %a replaced.txt")
        await connection.close()
        #expect(content.stdout.text == "second\n600\n")
    }

    @Test("upload into a missing folder names the status")
    func uploadMissingFolder() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let path = "no/such/folder/file"
        let error = await #expect(throws: SSHError.self) {
            try await connection.upload([1, 2, 3], to: path, mode: 0o644)
        }
        let after = try await connection.run("echo still usable")
        await connection.close()

        #expect(after.stdout.text == "still usable\n")
        guard let error, case .sftp(let function, let status, let file, let reported) = error.reason
        else {
            Issue.record("expected an SFTP status, got \(String(describing: error))")
            return
        }
        #expect(error.phase == .upload)
        #expect(function == "libssh2_sftp_open_ex")
        #expect(SFTPStatus(rawValue: status) == .noSuchFile)
        #expect(file.hasPrefix("no/such/folder/.file.upload-"))
        #expect(reported == path)
        #expect(
            SSHErrorRenderer.message(for: error)
                == "cannot upload no/such/folder/file to \(error.endpoint): libssh2_sftp_open_ex on "
                + "\(file) failed: no such file or directory (SSH_FX_NO_SUCH_FILE); "
                + "check that the folder no/such/folder exists")
    }

    @Test("upload without write permission names the status")
    func uploadPermissionDenied() async throws {
        // Even root cannot create files in sysfs: the kernel's vfs_create returns EACCES for
        // a file system without a create operation, and OpenSSH's sftp-server sends
        // SSH_FX_PERMISSION_DENIED for EACCES. The hosts share this machine's kernel and /sys.
        let probe = open("/sys/minijail-fleet-probe", O_WRONLY | O_CREAT | O_EXCL, 0o644)
        let probeErrno = errno
        if probe >= 0 { close(probe) }
        try #require(
            probe < 0 && probeErrno == EACCES, "creating a file in /sys must fail with EACCES")

        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        let path = "/sys/uploaded"
        let error = await #expect(throws: SSHError.self) {
            try await connection.upload([1, 2, 3], to: path, mode: 0o644)
        }
        await connection.close()

        guard let error, case .sftp(let function, let status, let file, let reported) = error.reason
        else {
            Issue.record("expected an SFTP status, got \(String(describing: error))")
            return
        }
        #expect(function == "libssh2_sftp_open_ex")
        #expect(SFTPStatus(rawValue: status) == .permissionDenied)
        #expect(reported == path)
        #expect(
            SSHErrorRenderer.message(for: error)
                == "cannot upload /sys/uploaded to \(error.endpoint): libssh2_sftp_open_ex on "
                + "\(file) failed: permission denied (SSH_FX_PERMISSION_DENIED); "
                + "check that the login user may write to /sys")
    }

    @Test("upload onto a folder fails and leaves nothing")
    func uploadOntoFolder() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        _ = try await connection.run("mkdir target")
        let error = await #expect(throws: SSHError.self) {
            try await connection.upload([1, 2, 3], to: "target", mode: 0o644)
        }
        let inside = try await connection.run("ls -A target | wc -l")
        let beside = try await connection.run("ls -A | grep -c upload- || true")
        await connection.close()

        #expect(inside.stdout.text == "0\n", "the folder kept its contents")
        #expect(beside.stdout.text == "0\n", "no temporary file is left")
        guard let error, case .renameFailed(let temporary, let path, let message) = error.reason
        else {
            Issue.record("expected a failed rename, got \(String(describing: error))")
            return
        }
        #expect(error.phase == .upload)
        #expect(temporary.hasPrefix(".target.upload-"))
        #expect(path == "target")
        #expect(message == "target is a folder; name the file itself")
        #expect(error.leftover == nil, "rm removed the temporary file")
        #expect(
            SSHErrorRenderer.message(for: error)
                == "cannot upload target to \(error.endpoint): renaming \(temporary) to target "
                + "failed: target is a folder; name the file itself")
    }

    @Test("cancelled upload leaves no temporary file")
    func cancelledUploadCleansUp() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let size = 64 << 20
        let connection = try await SSHConnection.open(fleet.target())
        let upload = Task {
            try await connection.upload(
                [UInt8](repeating: 0x5A, count: size), to: "big.bin", mode: 0o600)
        }
        try await Task.sleep(for: .milliseconds(100))
        upload.cancel()
        let outcome = await upload.result
        await connection.close()

        let checker = try await SSHConnection.open(fleet.target())
        let leftovers = try await checker.run("ls -A | grep -c '^\\.big\\.bin\\.upload-' || true")
        let target = try await checker.run("stat -c %s big.bin 2>/dev/null || echo absent")
        await checker.close()
        #expect(leftovers.stdout.text == "0\n")
        // Cancelled before the rename: no file. After it: the whole file.
        switch outcome {
        case .success:
            #expect(target.stdout.text == "\(size)\n")
        case .failure(let error):
            #expect(target.stdout.text == "absent\n")
            // The file was removed, so the error names no file left behind.
            #expect((error as? SSHError)?.leftover == nil)
        }
    }

    @Test("upload cancelled during rename names the file")
    func cancelledDuringRename() async throws {
        // A sudo that takes 5 s to start keeps the upload in its rename step.
        let folder = NSTemporaryDirectory() + "slow-sudo-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "#!/bin/sh\nsleep 5\nshift 2\nexec \"$@\"\n".write(
            toFile: folder + "/sudo", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o755], ofItemAtPath: folder + "/sudo")
        let fleet = try await TestFleet.start(count: 1, environment: ["FLEET_HOST_PATH": folder])
        defer { fleet.stop() }
        var target = fleet.target()
        target.become = .sudo
        let connection = try await SSHConnection.open(target)
        let upload = Task { try await connection.upload([1, 2, 3], to: "slow.bin", mode: 0o600) }
        try await Task.sleep(for: .seconds(1))
        upload.cancel()
        let outcome = await upload.result
        await connection.close()

        let checker = try await SSHConnection.open(fleet.target())
        let leftovers = try await checker.run("ls -A | grep '^\\.slow\\.bin\\.upload-' || true")
        await checker.close()
        guard case .failure(let error) = outcome, let error = error as? SSHError else {
            Issue.record("expected the cancelled upload to fail, got \(outcome)")
            return
        }
        #expect(error.reason == .cancelled)
        #expect(leftovers.stdout.text.hasPrefix(".slow.bin.upload-"), "the file stays")
        #expect(error.leftover.map { $0 + "\n" } == leftovers.stdout.text)
    }

    @Test("cancelled upload to a stopped server ends within about a second")
    func cancelledUploadStoppedServer() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let connection = try await SSHConnection.open(fleet.target())
        // The login shell's parent is the sshd process of this connection, which also runs
        // its SFTP. Stopping it leaves the socket open while nothing reads.
        let parent = try await connection.run("echo $PPID").stdout.text
        let pid = try #require(Int32(parent.trimmingCharacters(in: .whitespacesAndNewlines)))
        let upload = Task {
            try await connection.upload(
                [UInt8](repeating: 1, count: 256 << 20), to: "stalled.bin", mode: 0o600)
        }
        // Stop the server once the temporary file exists, so the upload is writing it. A
        // fixed sleep could stop it before SFTP started or, under load, after the upload.
        let watcher = try await SSHConnection.open(fleet.target())
        let listing = "ls -A | grep -c '^\\.stalled\\.bin\\.upload-' || true"
        for _ in 0..<500 {
            if try await watcher.run(listing).stdout.text != "0\n" { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(kill(pid, SIGSTOP) == 0)
        defer { kill(pid, SIGCONT) }
        // Time for the socket buffers to fill, so every cleanup call would wait.
        try await Task.sleep(for: .milliseconds(500))

        let started = ContinuousClock.now
        upload.cancel()
        let outcome = await upload.result
        await connection.close()
        let elapsed = ContinuousClock.now - started

        guard case .failure(let error) = outcome, let error = error as? SSHError else {
            Issue.record("expected the cancelled upload to fail, got \(outcome)")
            return
        }
        #expect(error.reason == .cancelled)
        // Closing the file handle waits 1 s for the server. The socket is then shut down, so
        // removing the file, ending SFTP and the goodbye fail at once. Before, three of these
        // calls each waited 1 s, so anything under 3 s shows the change; the rest of the
        // margin is for a loaded machine.
        #expect(elapsed < .seconds(2.9), "cancelling took \(elapsed)")

        // The socket was shut down before the file could be removed, so the error names it.
        let leftover = try #require(error.leftover)
        #expect(leftover.hasPrefix(".stalled.bin.upload-"))
        #expect(
            SSHErrorRenderer.message(for: error)
                == "upload on \(error.endpoint) was interrupted; remove the temporary file "
                + "\(leftover) from the host if it is still there")
        await watcher.close()
    }
}
