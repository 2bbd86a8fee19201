import FleetCore

extension SessionEngine {
    /// Writes `bytes` with SFTP to a temporary name beside `path` with `mode`, then renames
    /// it into place with `mv -f`, which is rename(2) and so atomic on one file system.
    /// SFTP version 3, which OpenSSH speaks, cannot overwrite on rename, hence the command.
    func upload(_ bytes: [UInt8], to path: String, mode: UInt32, timeout: Duration?)
        throws(SSHError)
    {
        if let lostPeer { throw lostPeer }
        guard let session else { throw error(.upload, .closedByPeer) }
        keepalive?.restart()
        let deadline = timeout.map { Deadline(after: $0) } ?? .never
        let temporary = TemporaryName.beside(path)

        // The SFTP subsystem shuts down at the end of this block, before the rename runs.
        do {
            let sftp = try performReturningHandle(
                "libssh2_sftp_init", phase: .upload, deadline: deadline
            ) {
                session.startSFTP()
            }
            do {
                try write(bytes, to: temporary, mode: mode, sftp: sftp, deadline: deadline)
            } catch let failure {
                var reported = withSFTPStatus(failure, sftp: sftp, file: temporary, path: path)
                // A file that was created stays hidden but would be left behind: remove it,
                // also after Ctrl-C, and name it in the error if that fails. When creating
                // it failed, there is nothing to remove.
                if !failedToCreate(reported) {
                    let removed = lostPeer == nil && sftp.removeFile(path: temporary)
                    if !removed { reported.leftover = temporary }
                }
                throw reported
            }
        }

        // mv moves a file into a folder of the target's name and succeeds, which would hide
        // the file there. FreeBSD's mv has no -T to prevent that, so the script checks first.
        let renameScript =
            "if [ -d \"$2\" ]; then echo \"$2 is a folder; name the file itself\" >&2; "
            + "exit 1; fi; exec mv -f -- \"$1\" \"$2\""
        let rename = ShellQuote.join(["sh", "-c", renameScript, "sh", temporary, path])
        let result: CommandResult
        do {
            result = try run(
                CommandRequest(
                    command: wrapForBecome(rename), stdin: [], timeout: timeout, sink: nil,
                    captureLimit: 4096))
        } catch var failure {
            // Cancelled or cut off, maybe before mv ran, so the file may remain and the
            // session cannot remove it.
            failure.leftover = temporary
            throw failure
        }
        guard result.outcome.succeeded else {
            let removal = try? run(
                CommandRequest(
                    command: ShellQuote.join(["rm", "-f", "--", temporary]), stdin: [],
                    timeout: timeout, sink: nil, captureLimit: 4096))
            var stderr = Substring(result.stderr.text)
            while let last = stderr.last, last.isWhitespace { stderr.removeLast() }
            var failure = error(
                .upload,
                .renameFailed(
                    temporary: temporary, path: path,
                    message: stderr.isEmpty ? "mv ended with \(result.outcome)" : String(stderr)))
            if removal?.outcome.succeeded != true { failure.leftover = temporary }
            throw failure
        }
    }

    /// Creates `file` with SFTP, writes `bytes` and sets `mode`.
    private func write(
        _ bytes: [UInt8], to file: String, mode: UInt32, sftp: LibSSH2SFTP, deadline: Deadline
    ) throws(SSHError) {
        let handle = try performReturningHandle(
            "libssh2_sftp_open_ex", phase: .upload, deadline: deadline
        ) {
            sftp.createFile(path: file, mode: mode)
        }
        var pending = bytes[...]
        while !pending.isEmpty {
            let written = try perform("libssh2_sftp_write", phase: .upload, deadline: deadline) {
                handle.write(pending.prefix(65_536))
            }
            pending = pending.dropFirst(written)
        }
        try perform("libssh2_sftp_fstat_ex", phase: .upload, deadline: deadline) {
            Int(handle.setPermissions(mode))
        }
        try perform("libssh2_sftp_close_handle", phase: .upload, deadline: deadline) {
            Int(handle.close())
        }
    }

    /// Returns whether `failure` came from creating the temporary file, so no file exists.
    private func failedToCreate(_ failure: SSHError) -> Bool {
        switch failure.reason {
        case .sftp(let function, _, _, _): return function == "libssh2_sftp_open_ex"
        case .libssh2(let function, _, _): return function == "libssh2_sftp_open_ex"
        default: return false
        }
    }

    /// Replaces a libssh2 failure that carries an SFTP status with the decoded status.
    private func withSFTPStatus(_ failure: SSHError, sftp: LibSSH2SFTP, file: String, path: String)
        -> SSHError
    {
        guard case .libssh2(let function, let code, _) = failure.reason,
            LibSSH2Result.meansSFTPStatus(code)
        else { return failure }
        return error(
            .upload, .sftp(function: function, status: sftp.lastStatus, file: file, path: path))
    }

    /// Wraps `command` for the target's `become` setting; `-n` makes sudo and doas fail
    /// instead of asking for a password. `exec` replaces the login shell with the tool,
    /// because a shell such as dash waits for it instead and turns a command killed by a
    /// signal into exit status 128 + N.
    func wrapForBecome(_ command: String) -> String {
        switch target.become {
        case .none: return command
        case .sudo: return "exec " + ShellQuote.join(["sudo", "-n", "--", "sh", "-c", command])
        case .doas: return "exec " + ShellQuote.join(["doas", "-n", "sh", "-c", command])
        }
    }
}

/// Names for files that are renamed into place once complete.
enum TemporaryName {
    /// Returns a hidden name in the same folder as `path`, unique per call.
    static func beside(_ path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(folder).\(name).upload-\(UInt64.random(in: 0...UInt64.max))"
    }
}
