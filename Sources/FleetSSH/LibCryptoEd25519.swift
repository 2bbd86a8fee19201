import CLibCrypto

// Every OpenSSL call of FleetSSH lives in this file.

/// An Ed25519 private key that OpenSSL holds, made once per run and used for every host.
///
/// libssh2 1.10 decodes the key file again for each session, and OpenSSL 3 sets up a new
/// decoder context for it each time. Signing with this key saves that work per host.
/// OpenSSL lets one EVP_PKEY sign on several threads at once as long as each uses its own
/// EVP_MD_CTX, which `sign` creates per call, so one signer serves every connection.
final class Ed25519Signer: @unchecked Sendable {
    private let key: OpaquePointer

    /// Calls EVP_PKEY_new_raw_private_key with the 32-byte seed, then checks with
    /// EVP_PKEY_get_raw_public_key that the key's public half is `publicKey`; nil otherwise.
    init?(seed: [UInt8], publicKey: [UInt8]) {
        guard seed.count == 32, publicKey.count == 32,
            let key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, seed, 32)
        else { return nil }
        self.key = key

        var derived = [UInt8](repeating: 0, count: 32)
        var length = 32
        let code = derived.withUnsafeMutableBufferPointer {
            EVP_PKEY_get_raw_public_key(key, $0.baseAddress, &length)
        }
        guard code == 1, length == 32, derived == publicKey else { return nil }
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// Signs `message` with EVP_DigestSignInit and EVP_DigestSign (pure Ed25519, RFC 8032)
    /// and returns the 64-byte signature, or nil when OpenSSL fails.
    func sign(_ message: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let context = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, nil, nil, key) == 1 else { return nil }

        var signature = [UInt8](repeating: 0, count: 64)
        var length = 64
        let code = signature.withUnsafeMutableBufferPointer { output in
            EVP_DigestSign(
                context, output.baseAddress, &length,
                message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
        }
        guard code == 1, length == 64 else { return nil }
        return signature
    }
}
