import FleetCore

/// A private key file read and decoded once, before any host is contacted.
public struct SSHPrivateKey: Sendable {
    /// The file as configured.
    public let path: String
    /// The key type from the file's public part, e.g. `ssh-ed25519`, when readable.
    public let keyType: String?
    /// The `SHA256:...` fingerprint of the public key, when known.
    public let fingerprint: String?
    /// The file's bytes, handed to libssh2 for each host.
    let contents: [UInt8]
    /// The passphrase, if the key is encrypted.
    let passphrase: Secret?
    /// The public key as an OpenSSH public key line (`type base64`), when the key file
    /// itself contains it, so libssh2 need not decode the private key to find it.
    let publicKeyLine: [UInt8]?
    /// The wire-format public key and a signer made once, for an unencrypted Ed25519 key.
    /// libssh2 then signs through it instead of decoding the key file for every host.
    let ed25519: (publicBlob: [UInt8], signer: Ed25519Signer)?

    /// The fingerprint for messages, or a note that it is unknown.
    var fingerprintText: String { fingerprint ?? "(fingerprint unknown)" }

    /// Reads `path` and checks that libssh2 can decode it with `passphrase`.
    /// Throws `PrivateKeyProblem` for an unreadable, foreign, encrypted-without-passphrase
    /// or undecodable key. `passphraseVariable`, the environment variable the passphrase
    /// comes from, only goes into that problem.
    public static func load(
        path: String, passphrase: Secret?, passphraseVariable: String? = nil
    ) throws(PrivateKeyProblem) -> SSHPrivateKey {
        let contents: [UInt8]
        do {
            contents = try POSIXFile.readExisting(path: path)
        } catch {
            throw PrivateKeyProblem(
                path: path, kind: .unreadable(errno: error.errno, message: error.message))
        }

        let format = PrivateKeyFormat.inspect(contents)
        if format == .unknown { throw PrivateKeyProblem(path: path, kind: .notAPrivateKey) }
        if case .openSSH(_, _, true) = format, passphrase == nil {
            throw PrivateKeyProblem(
                path: path, kind: .passphraseMissing(variable: passphraseVariable))
        }
        // An Ed25519 key whose seed gives its public key in libsodium has decoded.
        // libssh2 decodes any other key once here, so a bad key fails before any host.
        let ed25519 = ed25519Signer(contents, publicBlob: format.publicBlob)
        if ed25519 == nil,
            let failure = LibSSH2KeyDecoder.decode(contents, passphrase: passphrase?.revealed)
        {
            throw PrivateKeyProblem(
                path: path, kind: .rejected(code: failure.code, message: failure.message))
        }

        let publicBlob =
            format.publicBlob ?? PrivateKeyFormat.publicBlob(fromPublicFile: path + ".pub")
        let keyType = publicBlob.flatMap(PrivateKeyFormat.keyType(of:))
        return SSHPrivateKey(
            path: path, keyType: keyType, fingerprint: publicBlob.map(HostKeyType.fingerprint(of:)),
            contents: contents, passphrase: passphrase,
            publicKeyLine: format.publicBlob.flatMap { blob in
                keyType.map { Array("\($0) \(Base64.encode(blob)) key\n".utf8) }
            },
            ed25519: ed25519)
    }

    /// Returns the signer for an unencrypted OpenSSH Ed25519 key whose public key is `publicBlob`.
    private static func ed25519Signer(_ contents: [UInt8], publicBlob: [UInt8]?)
        -> (publicBlob: [UInt8], signer: Ed25519Signer)?
    {
        guard let publicBlob, let pair = PrivateKeyFormat.ed25519KeyPair(contents),
            publicBlob == PrivateKeyFormat.ed25519PublicBlob(pair.publicKey),
            let signer = Ed25519Signer(seed: pair.seed, publicKey: pair.publicKey)
        else { return nil }
        return (publicBlob, signer)
    }
}

/// Keys loaded once per distinct file, and the problems found while loading them.
public struct SSHKeyRing: Sendable {
    /// Decoded keys by path.
    public private(set) var keys: [String: SSHPrivateKey] = [:]
    /// Every key that could not be loaded, once per path, in target order.
    public private(set) var problems: [PrivateKeyProblem] = []

    /// Loads the key of every target that names one, each path once.
    public init(targets: [SSHTarget]) {
        var seen: Set<String> = []
        for target in targets {
            guard let path = target.identityFile, seen.insert(path).inserted else { continue }
            do {
                keys[path] = try SSHPrivateKey.load(
                    path: path, passphrase: target.passphrase,
                    passphraseVariable: target.passphraseVariable)
            } catch {
                problems.append(error)
            }
        }
    }

    /// Returns the problem with `target`'s key, if loading it failed.
    public func problem(for target: SSHTarget) -> PrivateKeyProblem? {
        problems.first { $0.path == target.identityFile }
    }
}

/// The facts that the armour and header of a key file show without decryption.
enum PrivateKeyFormat: Equatable {
    /// `-----BEGIN OPENSSH PRIVATE KEY-----`, whose public key is stored in clear.
    case openSSH(publicBlob: [UInt8]?, cipher: String, encrypted: Bool)
    /// A PEM key (`RSA`, `EC`, `DSA`, PKCS#8); its public key needs the `.pub` file.
    case pem
    /// Anything else.
    case unknown

    /// The public key blob from an OpenSSH-format file.
    var publicBlob: [UInt8]? {
        if case .openSSH(let blob, _, _) = self { return blob }
        return nil
    }

    /// Reads the armour and, for OpenSSH keys, the cipher and public key (PROTOCOL.key).
    static func inspect(_ contents: [UInt8]) -> PrivateKeyFormat {
        let text = String(decoding: contents, as: UTF8.self)
        if text.contains(openSSHBegin) {
            guard let data = openSSHBody(text) else { return .unknown }
            var reader = WireReader(data)
            guard reader.readMagic("openssh-key-v1\0"), let cipher = reader.readString(),
                reader.readString() != nil, reader.readString() != nil,
                let count = reader.readUInt32(), count >= 1
            else { return .unknown }
            let cipherName = String(decoding: cipher, as: UTF8.self)
            return .openSSH(
                publicBlob: reader.readString(), cipher: cipherName, encrypted: cipherName != "none"
            )
        }
        if text.contains("-----BEGIN ") && text.contains(" PRIVATE KEY-----") { return .pem }
        return .unknown
    }

    private static let openSSHBegin = "-----BEGIN OPENSSH PRIVATE KEY-----"

    /// Returns the base64-decoded body of an OpenSSH-format key file, or nil.
    static func openSSHBody(_ text: String) -> [UInt8]? {
        guard text.contains(openSSHBegin) else { return nil }
        let body = text.split(separator: "\n")
            .filter { !$0.hasPrefix("-----") }
            .joined()
            .filter { !$0.isWhitespace }
        return Base64.decode(body)
    }

    /// Reads the blob in an OpenSSH public key file (`type base64 comment`), if readable.
    static func publicBlob(fromPublicFile path: String) -> [UInt8]? {
        guard let bytes = try? POSIXFile.read(path: path) else { return nil }
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: " ")
        guard fields.count >= 2 else { return nil }
        return Base64.decode(fields[1])
    }

    /// Returns the type name stored at the start of a public key blob.
    static func keyType(of blob: [UInt8]) -> String? {
        var reader = WireReader(blob)
        return reader.readString().map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Reads SSH wire-format fields (RFC 4251): big-endian uint32 and length-prefixed strings.
struct WireReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func readMagic(_ magic: String) -> Bool {
        let expected = Array(magic.utf8)
        guard bytes.count >= offset + expected.count,
            Array(bytes[offset..<offset + expected.count]) == expected
        else { return false }
        offset += expected.count
        return true
    }

    mutating func readUInt32() -> UInt32? {
        guard bytes.count >= offset + 4 else { return nil }
        let value = bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        offset += 4
        return value
    }

    mutating func readString() -> [UInt8]? {
        guard let length = readUInt32(), bytes.count >= offset + Int(length) else { return nil }
        let value = Array(bytes[offset..<offset + Int(length)])
        offset += Int(length)
        return value
    }
}
