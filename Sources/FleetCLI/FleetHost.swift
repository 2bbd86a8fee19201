import FleetCore
import FleetInventory
import FleetJails
import FleetSSH

/// One selected host with everything a run needs: its SSH target and jail settings.
struct FleetHost: Sendable {
    /// The inventory entry.
    var inventoryHost: InventoryHost
    /// How to reach it.
    var target: SSHTarget
    /// Its jail settings.
    var settings: HostSettings

    /// The inventory name.
    var name: String { inventoryHost.name }

    /// Builds the host from its inventory variables, or returns why its variables cannot be
    /// used (such as a jails root the planner rejects).
    static func make(_ host: InventoryHost, environment: [String: String]) -> Result<
        FleetHost, FleetHostProblem
    > {
        let variables = host.variables
        let settings: HostSettings
        do {
            let skel = try JailName(variables.skelName)
            settings = try HostSettings(
                jailsRoot: variables.jailsRoot, skelName: skel, zfsDataset: variables.zfsDataset,
                installSource: variables.installSource == .sources ? .sources : .binaries,
                releaseMirror: variables.releaseMirror, unameR: variables.unameR,
                jailConfDir: variables.jailConfDir, stateDir: variables.stateDir,
                freebsdUpdateConfig: variables.freebsdUpdateConf)
        } catch let error as JailNameError {
            return .failure(FleetHostProblem(host: host.name, message: "skel_name: \(error)"))
        } catch {
            return .failure(FleetHostProblem(host: host.name, message: "\(error)"))
        }
        let target = SSHTarget(
            name: host.name, address: variables.address, port: variables.port, user: variables.user,
            identityFile: variables.identityFile.map { expandTilde($0, environment: environment) },
            passphrase: variables.passphraseEnv.flatMap { environment[$0] }.map(Secret.init),
            passphraseVariable: variables.passphraseEnv,
            useAgent: variables.sshAgent,
            // Passed explicitly, so that an agent error can name the socket.
            agentSocket: environment["SSH_AUTH_SOCK"],
            knownHostsFile: expandTilde(variables.knownHosts, environment: environment),
            hostKeyChecking: checking(variables.hostKeyChecking),
            hashKnownHosts: variables.hashKnownHosts,
            connectTimeout: .seconds(variables.connectTimeout),
            commandTimeout: variables.commandTimeout > 0 ? .seconds(variables.commandTimeout) : nil,
            keepaliveInterval: variables.keepaliveInterval > 0
                ? .seconds(variables.keepaliveInterval) : nil,
            keepaliveCountMax: variables.keepaliveCountMax,
            become: becomeMethod(variables))
        return .success(FleetHost(inventoryHost: host, target: target, settings: settings))
    }

    /// Returns how commands gain root: never for a `user` who is root already, because
    /// FreeBSD's base system has neither sudo nor doas.
    static func becomeMethod(_ variables: HostVariables) -> Become {
        guard variables.become, variables.user != "root" else { return .none }
        return variables.becomeMethod == .doas ? .doas : .sudo
    }

    private static func checking(_ mode: FleetInventory.HostKeyChecking) -> FleetSSH.HostKeyChecking
    {
        switch mode {
        case .strict: return .strict
        case .acceptNew: return .acceptNew
        case .off: return .off
        }
    }

    /// Replaces a leading `~/` with `$HOME/`, as OpenSSH does for its own files.
    static func expandTilde(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = environment["HOME"] else {
            return path
        }
        return home + path.dropFirst()
    }
}

/// Why a selected host's variables cannot be used.
struct FleetHostProblem: Error, Sendable {
    /// The inventory name.
    var host: String
    /// What is wrong, naming the variable.
    var message: String
}
