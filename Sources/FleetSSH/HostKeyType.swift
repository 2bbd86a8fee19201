/// The host key types libssh2 1.10 can verify, with their OpenSSH names.
enum HostKeyType: String, Sendable, CaseIterable {
    case ed25519 = "ssh-ed25519"
    case ecdsa256 = "ecdsa-sha2-nistp256"
    case ecdsa384 = "ecdsa-sha2-nistp384"
    case ecdsa521 = "ecdsa-sha2-nistp521"
    case rsa = "ssh-rsa"

    /// Maps a LIBSSH2_HOSTKEY_TYPE_* value; nil for DSS and unknown types.
    init?(libssh2Type: Int32) {
        switch libssh2Type {
        case 1: self = .rsa
        case 3: self = .ecdsa256
        case 4: self = .ecdsa384
        case 5: self = .ecdsa521
        case 6: self = .ed25519
        default: return nil
        }
    }

    /// The algorithm names to hand libssh2_session_method_pref for this key type.
    /// NOTE: Debian's libssh2 1.10 knows only `ssh-rsa` (SHA-1) for RSA host keys, which
    /// OpenSSH 8.8 and later refuse unless the server adds it to HostKeyAlgorithms.
    var methodNames: [String] { [rawValue] }

    /// The `SHA256:...` fingerprint OpenSSH prints for a key blob.
    static func fingerprint(of blob: [UInt8]) -> String {
        "SHA256:" + Base64.encode(SHA.sha256(blob), padded: false)
    }
}
