extension PrivateKeyFormat {
    /// Returns the seed and public key of an unencrypted OpenSSH-format Ed25519 key file, read from
    /// its private section (PROTOCOL.key): two equal check numbers, the type `ssh-ed25519`,
    /// the 32-byte public key, then 64 bytes holding the seed and the public key again.
    /// Returns nil for any other file, an encrypted one, or one whose parts disagree.
    static func ed25519KeyPair(_ contents: [UInt8]) -> (seed: [UInt8], publicKey: [UInt8])? {
        guard let data = openSSHBody(String(decoding: contents, as: UTF8.self)) else {
            return nil
        }
        var reader = WireReader(data)
        guard reader.readMagic("openssh-key-v1\0"), let cipher = reader.readString(),
            cipher == Array("none".utf8), reader.readString() != nil, reader.readString() != nil,
            reader.readUInt32() == 1, let publicBlob = reader.readString(),
            let privateSection = reader.readString()
        else { return nil }

        var section = WireReader(privateSection)
        guard let check = section.readUInt32(), section.readUInt32() == check,
            section.readString() == Array("ssh-ed25519".utf8),
            let publicKey = section.readString(), publicKey.count == 32,
            let pair = section.readString(), pair.count == 64,
            Array(pair[32...]) == publicKey,
            publicBlob == ed25519PublicBlob(publicKey)
        else { return nil }
        return (Array(pair[..<32]), publicKey)
    }

    /// Returns the SSH wire-format public key blob of an Ed25519 key (RFC 8709).
    static func ed25519PublicBlob(_ publicKey: [UInt8]) -> [UInt8] {
        let type = Array("ssh-ed25519".utf8)
        return [0, 0, 0, UInt8(type.count)] + type + [0, 0, 0, UInt8(publicKey.count)] + publicKey
    }
}
