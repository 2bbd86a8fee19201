import CLibSSH2

/// Tells a channel whose server sent no exit status from one whose command exited 0.
///
/// libssh2 1.10 keeps a channel's exit status in a field that starts at 0, that only an
/// "exit-status" message changes, and it records nowhere whether one came. So each new
/// channel gets `unset` in that field before its "exec" request leaves, and a channel that
/// closes still holding it got no exit status.
///
/// The field's offset is not public. `offset` finds it by calling
/// libssh2_channel_get_exit_status, which in libssh2 1.10.0 does nothing but load that field,
/// on a buffer in which every 4-byte slot contains its own index. It does so only for 1.10.0,
/// whose function was checked to be that single load. With any other version `offset` is
/// nil, so a missing status reads as 0, as libssh2 itself reports it. A later version
/// should be checked the same way before it is added.
enum ExitStatusMark {
    /// The value that stands for "no exit status yet". A server that sends 2^31 as a status
    /// is read as sending none; POSIX statuses are 0 to 255.
    static let unset = Int32.min

    /// The libssh2 versions whose libssh2_channel_get_exit_status only loads the field.
    static let checkedVersions: Set<String> = ["1.10.0"]

    /// The byte offset of the exit status in libssh2's channel structure. Nil when the
    /// running libssh2 is not a checked version, or when the search did not find it.
    static let offset: Int? = {
        guard let version = libssh2_version(0), checkedVersions.contains(String(cString: version))
        else { return nil }
        return findOffset()
    }()

    /// Runs the search twice with different tags and returns the offset both agree on.
    private static func findOffset() -> Int? {
        let first = search(tag: 0x5A5A_0000)
        guard let first, search(tag: 0x3C3C_0000) == first else { return nil }
        return first
    }

    /// How many 4-byte slots the search buffer has: 16 KiB, far more than the structure.
    private static let slots = 4096

    /// Fills a buffer with `tag | index` in each slot, reads it as a channel, and returns
    /// the offset of the slot whose value came back.
    private static func search(tag: Int32) -> Int? {
        let buffer = UnsafeMutableBufferPointer<Int32>.allocate(capacity: slots)
        defer { buffer.deallocate() }
        for index in 0..<slots { buffer[index] = tag | Int32(index) }
        let value = libssh2_channel_get_exit_status(OpaquePointer(buffer.baseAddress!))
        guard value & ~0xFFFF == tag else { return nil }
        let index = Int(value & 0xFFFF)
        guard index < slots else { return nil }
        return index * MemoryLayout<Int32>.stride
    }

    /// Writes `unset` into `channel`'s exit status and returns true when the channel now
    /// reads it back, so that a later `unset` means no status arrived.
    static func mark(_ channel: OpaquePointer) -> Bool {
        guard let offset else { return false }
        UnsafeMutableRawPointer(channel).storeBytes(of: unset, toByteOffset: offset, as: Int32.self)
        return libssh2_channel_get_exit_status(channel) == unset
    }
}
