import CLibSSH2

// Every libssh2 SFTP call of FleetSSH lives in this file.

/// An SFTP subsystem on a session, shut down in `deinit`.
final class LibSSH2SFTP {
    private let sftp: OpaquePointer
    private let owner: LibSSH2Session

    init(sftp: OpaquePointer, owner: LibSSH2Session) {
        self.sftp = sftp
        self.owner = owner
    }

    deinit {
        owner.withBlockingCalls(timeoutMilliseconds: 1000) {
            _ = libssh2_sftp_shutdown(sftp)
        }
    }

    /// Calls libssh2_sftp_open_ex to create `path` exclusively for writing with `mode`;
    /// nil with EAGAIN or an error in the session.
    func createFile(path: String, mode: UInt32) -> LibSSH2SFTPFile? {
        let flags = UInt(LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_EXCL)
        guard
            let handle = libssh2_sftp_open_ex(
                sftp, path, UInt32(path.utf8.count), flags, Int(mode), LIBSSH2_SFTP_OPENFILE)
        else { return nil }
        return LibSSH2SFTPFile(handle: handle, owner: self)
    }

    /// Removes `path` with libssh2_sftp_unlink_ex in blocking mode, waiting at most 1 s;
    /// returns whether the server removed it.
    func removeFile(path: String) -> Bool {
        var code: Int32 = -1
        owner.withBlockingCalls(timeoutMilliseconds: 1000) {
            code = libssh2_sftp_unlink_ex(sftp, path, UInt32(path.utf8.count))
        }
        return code == 0
    }

    /// Calls libssh2_sftp_last_error: the SFTP status code of the last failure.
    var lastStatus: UInt { libssh2_sftp_last_error(sftp) }

    fileprivate var session: LibSSH2Session { owner }
}

/// An open remote file, closed in `deinit` unless `close` already closed it.
final class LibSSH2SFTPFile {
    private let handle: OpaquePointer
    private let owner: LibSSH2SFTP
    /// Set once libssh2_sftp_close_handle finished (with success or failure), after which
    /// the handle is freed and must not be passed to libssh2 again.
    private var isClosed = false

    fileprivate init(handle: OpaquePointer, owner: LibSSH2SFTP) {
        self.handle = handle
        self.owner = owner
    }

    deinit {
        guard !isClosed else { return }
        owner.session.withBlockingCalls(timeoutMilliseconds: 1000) {
            _ = libssh2_sftp_close_handle(handle)
        }
    }

    /// Calls libssh2_sftp_write; returns the bytes written or a negative libssh2 code.
    func write(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBytes { raw in
            libssh2_sftp_write(
                handle, raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count)
        }
    }

    /// Calls libssh2_sftp_fstat_ex to set the permission bits, so the umask cannot narrow them.
    func setPermissions(_ mode: UInt32) -> Int32 {
        var attributes = LIBSSH2_SFTP_ATTRIBUTES()
        attributes.flags = UInt(LIBSSH2_SFTP_ATTR_PERMISSIONS)
        attributes.permissions = UInt(mode)
        return libssh2_sftp_fstat_ex(handle, &attributes, 1)
    }

    /// Calls libssh2_sftp_close_handle ahead of `deinit`, so the caller sees the result.
    /// libssh2 frees the handle when the close completes, so any result but EAGAIN marks it
    /// closed. After an early send failure libssh2 1.10 keeps the handle, which then leaks:
    /// a leak is safer than closing a freed handle again in `deinit`.
    func close() -> Int32 {
        precondition(!isClosed, "libssh2_sftp_close_handle called on a closed handle")
        let code = libssh2_sftp_close_handle(handle)
        if code != LIBSSH2_ERROR_EAGAIN { isClosed = true }
        return code
    }
}
