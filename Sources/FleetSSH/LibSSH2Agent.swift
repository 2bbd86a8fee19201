import CLibSSH2

// Every libssh2 agent call of FleetSSH lives in this file.

/// A connection to ssh-agent through SSH_AUTH_SOCK, freed in `deinit`.
final class LibSSH2Agent {
    private let agent: OpaquePointer
    private let owner: LibSSH2Session

    init(agent: OpaquePointer, owner: LibSSH2Session) {
        self.agent = agent
        self.owner = owner
    }

    deinit {
        _ = libssh2_agent_disconnect(agent)
        libssh2_agent_free(agent)
    }

    /// Calls libssh2_agent_set_identity_path so `connect` uses `path` instead of SSH_AUTH_SOCK.
    func useSocket(_ path: String) {
        libssh2_agent_set_identity_path(agent, path)
    }

    /// Calls libssh2_agent_connect.
    func connect() -> Int32 { libssh2_agent_connect(agent) }

    /// Calls libssh2_agent_list_identities.
    func listIdentities() -> Int32 { libssh2_agent_list_identities(agent) }

    /// The public key blobs of the listed identities, in the agent's order.
    var identityBlobs: [[UInt8]] {
        var blobs: [[UInt8]] = []
        var previous: UnsafeMutablePointer<libssh2_agent_publickey>?
        var current: UnsafeMutablePointer<libssh2_agent_publickey>?
        while libssh2_agent_get_identity(agent, &current, previous) == 0, let identity = current {
            blobs.append(
                Array(
                    UnsafeBufferPointer(
                        start: identity.pointee.blob, count: identity.pointee.blob_len)))
            previous = identity
        }
        return blobs
    }

    /// Calls libssh2_agent_userauth with the identity at `index` of `identityBlobs`.
    func authenticate(user: String, identityIndex index: Int) -> Int32 {
        var previous: UnsafeMutablePointer<libssh2_agent_publickey>?
        var current: UnsafeMutablePointer<libssh2_agent_publickey>?
        var position = 0
        while libssh2_agent_get_identity(agent, &current, previous) == 0, let identity = current {
            if position == index { return libssh2_agent_userauth(agent, user, identity) }
            previous = identity
            position += 1
        }
        return LIBSSH2_ERROR_BAD_USE
    }
}
