extension InventoryVariable {
    /// The position of the variable in `allCases`, which indexes tables of every variable.
    var index: Int {
        switch self {
        case .address: return 0
        case .port: return 1
        case .user: return 2
        case .identityFile: return 3
        case .passphraseEnv: return 4
        case .sshAgent: return 5
        case .become: return 6
        case .becomeMethod: return 7
        case .connectTimeout: return 8
        case .commandTimeout: return 9
        case .keepaliveInterval: return 10
        case .keepaliveCountMax: return 11
        case .knownHosts: return 12
        case .hostKeyChecking: return 13
        case .hashKnownHosts: return 14
        case .jailsRoot: return 15
        case .skelName: return 16
        case .zfsDataset: return 17
        case .installSource: return 18
        case .releaseMirror: return 19
        case .unameR: return 20
        case .jailConfDir: return 21
        case .stateDir: return 22
        case .freebsdUpdateConf: return 23
        }
    }

    /// Hashes the case's position. The default for an enumeration with a `String` raw value
    /// hashes the raw text instead, so every dictionary lookup by variable hashed a string.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(index)
    }

    /// Compares the cases' positions, which differ exactly when the raw names do.
    public static func == (lhs: InventoryVariable, rhs: InventoryVariable) -> Bool {
        lhs.index == rhs.index
    }
}
