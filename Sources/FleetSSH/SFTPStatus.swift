/// An SFTP status code from an SSH_FXP_STATUS reply, numbered as in the SFTP drafts
/// (draft-ietf-secsh-filexfer) and libssh2_sftp.h's LIBSSH2_FX_* constants.
public enum SFTPStatus: UInt, Sendable, CaseIterable {
    case ok = 0
    case endOfFile = 1
    case noSuchFile = 2
    case permissionDenied = 3
    case failure = 4
    case badMessage = 5
    case noConnection = 6
    case connectionLost = 7
    case operationUnsupported = 8
    case invalidHandle = 9
    case noSuchPath = 10
    case fileAlreadyExists = 11
    case writeProtect = 12
    case noMedia = 13
    case noSpaceOnFilesystem = 14
    case quotaExceeded = 15
    case unknownPrincipal = 16
    case lockConflict = 17
    case directoryNotEmpty = 18
    case notADirectory = 19
    case invalidFilename = 20
    case linkLoop = 21

    /// The protocol's name for the code, such as `SSH_FX_NO_SUCH_FILE`.
    public var name: String {
        switch self {
        case .ok: return "SSH_FX_OK"
        case .endOfFile: return "SSH_FX_EOF"
        case .noSuchFile: return "SSH_FX_NO_SUCH_FILE"
        case .permissionDenied: return "SSH_FX_PERMISSION_DENIED"
        case .failure: return "SSH_FX_FAILURE"
        case .badMessage: return "SSH_FX_BAD_MESSAGE"
        case .noConnection: return "SSH_FX_NO_CONNECTION"
        case .connectionLost: return "SSH_FX_CONNECTION_LOST"
        case .operationUnsupported: return "SSH_FX_OP_UNSUPPORTED"
        case .invalidHandle: return "SSH_FX_INVALID_HANDLE"
        case .noSuchPath: return "SSH_FX_NO_SUCH_PATH"
        case .fileAlreadyExists: return "SSH_FX_FILE_ALREADY_EXISTS"
        case .writeProtect: return "SSH_FX_WRITE_PROTECT"
        case .noMedia: return "SSH_FX_NO_MEDIA"
        case .noSpaceOnFilesystem: return "SSH_FX_NO_SPACE_ON_FILESYSTEM"
        case .quotaExceeded: return "SSH_FX_QUOTA_EXCEEDED"
        case .unknownPrincipal: return "SSH_FX_UNKNOWN_PRINCIPAL"
        case .lockConflict: return "SSH_FX_LOCK_CONFLICT"
        case .directoryNotEmpty: return "SSH_FX_DIR_NOT_EMPTY"
        case .notADirectory: return "SSH_FX_NOT_A_DIRECTORY"
        case .invalidFilename: return "SSH_FX_INVALID_FILENAME"
        case .linkLoop: return "SSH_FX_LINK_LOOP"
        }
    }

    /// The code in words, as messages use it.
    public var words: String {
        switch self {
        case .ok: return "success"
        case .endOfFile: return "end of file"
        case .noSuchFile: return "no such file or directory"
        case .permissionDenied: return "permission denied"
        case .failure: return "the server reported a failure without details"
        case .badMessage: return "the server rejected the request as malformed"
        case .noConnection: return "no connection"
        case .connectionLost: return "connection lost"
        case .operationUnsupported: return "operation not supported by the server"
        case .invalidHandle: return "invalid file handle"
        case .noSuchPath: return "no such path"
        case .fileAlreadyExists: return "file already exists"
        case .writeProtect: return "the file system is write-protected"
        case .noMedia: return "no medium in the drive"
        case .noSpaceOnFilesystem: return "no space left on the file system"
        case .quotaExceeded: return "disk quota exceeded"
        case .unknownPrincipal: return "unknown user or group"
        case .lockConflict: return "the file is locked"
        case .directoryNotEmpty: return "directory not empty"
        case .notADirectory: return "not a directory"
        case .invalidFilename: return "invalid file name"
        case .linkLoop: return "too many levels of symbolic links"
        }
    }
}
