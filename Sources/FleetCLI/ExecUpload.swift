import Foundation

/// The file `exec --upload LOCAL:REMOTE` copies to every host before the command runs.
struct ExecUpload: Sendable {
    /// The remote path; a relative path is relative to the login user's home.
    var remotePath: String
    /// The file's bytes, read once before any host is contacted.
    var bytes: [UInt8]
    /// The permission bits of the local file, given to the remote one.
    var mode: UInt32

    /// Reads the local file of `LOCAL:REMOTE` (split at the first colon), or returns the
    /// usage or file problem as a sentence.
    static func load(_ text: String) -> Result<ExecUpload, ExecUploadProblem> {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
            text.index(after: colon) != text.endIndex
        else {
            return .failure(.usage("invalid value '\(text)' for --upload: use LOCAL:REMOTE"))
        }
        let local = String(text[..<colon])
        let remote = String(text[text.index(after: colon)...])
        let files = FileManager.default
        guard let data = files.contents(atPath: local) else {
            return .failure(.file("cannot read '\(local)' for --upload; check the path"))
        }
        let permissions = (try? files.attributesOfItem(atPath: local))?[.posixPermissions]
        let mode = (permissions as? NSNumber)?.uint32Value ?? 0o644
        return .success(ExecUpload(remotePath: remote, bytes: [UInt8](data), mode: mode & 0o7777))
    }
}

/// Why `--upload` cannot be used.
enum ExecUploadProblem: Error, Equatable {
    /// The value is not `LOCAL:REMOTE`.
    case usage(String)
    /// The local file cannot be read.
    case file(String)
}
