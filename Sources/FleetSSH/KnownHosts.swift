/// One key line of an OpenSSH known_hosts file.
struct KnownHostsEntry: Sendable, Equatable {
    /// 1-based line number in the file.
    let line: Int
    /// The host field: comma-separated patterns or one `|1|salt|hash` entry.
    let hosts: String
    /// The key type as written, e.g. `ssh-ed25519`.
    let keyType: String
    /// The decoded public key blob.
    let keyBlob: [UInt8]

    /// Returns whether the host field names `hostName` (`host` or `[host]:port`), honouring
    /// hashed entries, `*`/`?` wildcards and `!` negations as OpenSSH does.
    func matches(hostName: String) -> Bool {
        if hosts.hasPrefix("|1|") { return matchesHashed(hostName) }
        var matched = false
        for pattern in hosts.split(separator: ",") {
            if pattern.hasPrefix("!") {
                if Glob.matches(pattern.dropFirst(), hostName) { return false }
            } else if Glob.matches(pattern[...], hostName) {
                matched = true
            }
        }
        return matched
    }

    private func matchesHashed(_ hostName: String) -> Bool {
        let parts = hosts.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, let salt = Base64.decode(parts[2]),
            let hash = Base64.decode(parts[3])
        else { return false }
        return SHA.hmacSHA1(key: salt, message: Array(hostName.lowercased().utf8)) == hash
    }
}

/// The parsed key lines of one known_hosts file.
struct KnownHosts: Sendable {
    /// The file as configured.
    let path: String
    /// Every key line, in file order.
    let entries: [KnownHostsEntry]
    /// The `@revoked` lines, in file order: keys never to accept for the hosts they name.
    let revoked: [KnownHostsEntry]
    /// Indices into `entries` of the lines whose patterns are all plain names (no hash,
    /// wildcard or negation), keyed by each lowercased name, in file order.
    private let plainIndex: [String: [Int]]
    /// Indices of every other line, which `entries(host:port:)` matches one by one.
    private let patternIndices: [Int]

    /// Whether the file existed when it was read; a missing file has no entries.
    let fileExists: Bool

    /// Parses `contents`. `@revoked` lines go to `revoked`. Comments, blank lines,
    /// `@cert-authority` lines and lines that do not parse are skipped, as OpenSSH skips them.
    init(path: String, contents: [UInt8], fileExists: Bool = true) {
        self.path = path
        self.fileExists = fileExists
        var entries: [KnownHostsEntry] = []
        var revoked: [KnownHostsEntry] = []
        // Lines and fields are found by scanning bytes, because every separator is ASCII.
        var start = 0
        var number = 0
        while start < contents.count {
            var end = start
            while end < contents.count && contents[end] != UInt8(ascii: "\n") { end += 1 }
            number += 1
            let line = contents[start..<end]
            start = end + 1
            guard let entry = Self.entry(line, number: number) else { continue }
            if entry.revoked {
                revoked.append(entry.entry)
            } else {
                entries.append(entry.entry)
            }
        }
        self.entries = entries
        self.revoked = revoked

        // Looking every host up by name keeps a fleet's connections linear in its size, where
        // matching each host against every line made the run quadratic.
        var plainIndex: [String: [Int]] = [:]
        var patternIndices: [Int] = []
        for (index, entry) in entries.enumerated() {
            let isPlain = !entry.hosts.utf8.contains {
                $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?")
                    || $0 == UInt8(ascii: "!")
            }
            guard isPlain else {
                patternIndices.append(index)
                continue
            }
            for name in Self.plainNames(entry.hosts) {
                plainIndex[name, default: []].append(index)
            }
        }
        self.plainIndex = plainIndex
        self.patternIndices = patternIndices
    }

    /// Parses one line: the entry and whether it is marked `@revoked`, or nil for a comment,
    /// a blank line, another marker or a line that does not parse.
    private static func entry(_ line: ArraySlice<UInt8>, number: Int)
        -> (entry: KnownHostsEntry, revoked: Bool)?
    {
        // The first four fields at most: an optional marker, hosts, key type and key.
        var fields: [Range<Int>] = []
        fields.reserveCapacity(4)
        var index = line.startIndex
        while index < line.endIndex && fields.count < 4 {
            while index < line.endIndex && isSeparator(line[index]) { index += 1 }
            let fieldStart = index
            while index < line.endIndex && !isSeparator(line[index]) { index += 1 }
            if index > fieldStart { fields.append(fieldStart..<index) }
        }
        let revoked = fields.first.map { line[$0].elementsEqual("@revoked".utf8) } ?? false
        if revoked { fields.removeFirst() }
        guard fields.count >= 3, line[fields[0].lowerBound] != UInt8(ascii: "#"),
            line[fields[0].lowerBound] != UInt8(ascii: "@"),
            let blob = Base64.decode(bytes: line[fields[2]])
        else { return nil }
        let entry = KnownHostsEntry(
            line: number, hosts: String(decoding: line[fields[0]], as: UTF8.self),
            keyType: String(decoding: line[fields[1]], as: UTF8.self), keyBlob: blob)
        return (entry, revoked)
    }

    /// Returns the distinct lowercased names of a host field without patterns.
    private static func plainNames(_ hosts: String) -> Set<String> {
        var names: Set<String> = []
        for name in Array(hosts.utf8).split(separator: UInt8(ascii: ",")) {
            // Splitting by Character and `lowercased()` cost about 9,000 instructions a
            // line. ASCII names are lowercased by byte, with the same result, and other
            // names take the Unicode path.
            if name.allSatisfy({ $0 < 0x80 }) {
                let lowered = name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                names.insert(String(decoding: lowered, as: UTF8.self))
            } else {
                names.insert(String(decoding: name, as: UTF8.self).lowercased())
            }
        }
        return names
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    /// Reads and parses the file at `path`; a missing file has no entries.
    static func load(path: String) throws(FileError) -> KnownHosts {
        let contents = try POSIXFile.read(path: path)
        return KnownHosts(path: path, contents: contents ?? [], fileExists: contents != nil)
    }

    /// Returns the name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise.
    static func hostName(_ host: String, port: Int) -> String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    /// Returns the entries for `host` on `port`.
    func entries(host: String, port: Int) -> [KnownHostsEntry] {
        let name = KnownHosts.hostName(host, port: port)
        var indices = plainIndex[name.lowercased()] ?? []
        indices += patternIndices.filter { entries[$0].matches(hostName: name) }
        return indices.sorted().map { entries[$0] }
    }

    /// Host key types recorded for `host`, in file order, for libssh2_session_method_pref.
    func recordedTypes(host: String, port: Int) -> [HostKeyType] {
        var types: [HostKeyType] = []
        for entry in entries(host: host, port: port) {
            if let type = HostKeyType(rawValue: entry.keyType), !types.contains(type) {
                types.append(type)
            }
        }
        return types
    }

    /// Compares the server's key with the entries for `host`. A key on a `@revoked` line
    /// that names the host is rejected whatever else the file records, as OpenSSH does.
    func verdict(host: String, port: Int, keyType: HostKeyType, blob: [UInt8]) -> HostKeyVerdict {
        let name = KnownHosts.hostName(host, port: port)
        if let entry = revoked.first(where: { $0.keyBlob == blob && $0.matches(hostName: name) }) {
            return .revoked(entry)
        }
        let candidates = entries(host: host, port: port)
        if let exact = candidates.first(where: {
            $0.keyType == keyType.rawValue && $0.keyBlob == blob
        }) {
            return .known(line: exact.line)
        }
        // A recorded key of the same type wins over one of another type, as OpenSSH reports it.
        if let changed = candidates.first(where: { $0.keyType == keyType.rawValue })
            ?? candidates.first
        {
            return .changed(changed)
        }
        return .unknown
    }

    /// Appends an entry for `host` with OpenSSH's layout, its host field hashed when
    /// `hashed` is true.
    static func appendLine(
        path: String, host: String, port: Int, keyType: HostKeyType, blob: [UInt8], hashed: Bool
    ) throws(FileError) {
        let name = hostName(host, port: port)
        let field = hashed ? try hashedHostField(name) : name
        let line = "\(field) \(keyType.rawValue) \(Base64.encode(blob))\n"
        try POSIXFile.appendLine(path: path, line: Array(line.utf8))
    }

    /// Returns the hashed host field that OpenSSH writes with HashKnownHosts:
    /// `|1|` base64(salt) `|` base64(HMAC-SHA1 of the lowercased name keyed with the salt).
    /// The salt is 20 fresh bytes, the SHA-1 digest length, as OpenSSH uses.
    static func hashedHostField(_ name: String) throws(FileError) -> String {
        let salt = try POSIXFile.randomBytes(count: 20)
        let hash = SHA.hmacSHA1(key: salt, message: Array(name.lowercased().utf8))
        return "|1|\(Base64.encode(salt))|\(Base64.encode(hash))"
    }
}

/// The outcome of comparing a server key with known_hosts.
enum HostKeyVerdict: Sendable, Equatable {
    /// The key is recorded at this line.
    case known(line: Int)
    /// No key is recorded for the host.
    case unknown
    /// A different key is recorded for the host.
    case changed(KnownHostsEntry)
    /// The key is on this `@revoked` line for the host.
    case revoked(KnownHostsEntry)
}

/// `*` and `?` wildcard matching as OpenSSH applies it to host patterns.
enum Glob {
    /// Returns whether `pattern` matches all of `text`, case-insensitively.
    static func matches(_ pattern: Substring, _ text: String) -> Bool {
        matches(Array(pattern.lowercased().utf8)[...], Array(text.lowercased().utf8)[...])
    }

    private static func matches(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        if first == UInt8(ascii: "*") {
            var rest = text
            while true {
                if matches(pattern.dropFirst(), rest) { return true }
                if rest.isEmpty { return false }
                rest = rest.dropFirst()
            }
        }
        guard let character = text.first else { return false }
        guard first == UInt8(ascii: "?") || first == character else { return false }
        return matches(pattern.dropFirst(), text.dropFirst())
    }
}
