import FleetJails
import Testing

@Suite("Host settings")
struct HostSettingsTests {
    @Test("defaults")
    func defaults() throws {
        let settings = try HostSettings()
        #expect(settings.jailsRoot == "/var/jails")
        #expect(settings.skelName.value == "skel")
        #expect(settings.jailConfDir == "/etc/jail.conf.d")
        #expect(settings.stateDir == "/var/db/minijail-fleet")
        #expect(settings.releaseMirror == nil)
        #expect(settings.installSource == .binaries)
    }

    @Test(
        "invalid paths rejected",
        arguments: [
            ("var/jails", SettingsError.Problem.notAbsolute),
            ("/var/../etc", .notNormalized),
            ("/var/./jails", .notNormalized),
            ("/var//jails", .notNormalized),
            ("/var/jails/", .notNormalized),
            ("/var/jails\n/x", .controlCharacter),
            ("/var/ja ils", .invalidCharacter(" ")),
            ("/var/$HOME", .invalidCharacter("$")),
            ("/", .rootDirectory),
            ("", .notAbsolute),
            ("/.", .notNormalized),
            ("/var/jails/..", .notNormalized),
            ("/var/j\u{E4}ils", .invalidCharacter("\u{E4}")),
            // A combining mark joins the second '/' into one character, which separates
            // nothing, so the path is normalized but has an invalid character.
            ("/var//\u{301}", .invalidCharacter("\u{301}")),
        ])
    func invalidPath(path: String, problem: SettingsError.Problem) {
        #expect(throws: SettingsError(setting: "jails_root", value: path, problem: problem)) {
            try HostSettings(jailsRoot: path)
        }
        #expect(throws: SettingsError(setting: "state_dir", value: path, problem: problem)) {
            try HostSettings(stateDir: path)
        }
    }

    @Test("dots inside components accepted", arguments: ["/var/...", "/a.b/..c/d..", "/.x"])
    func dottedPath(path: String) throws {
        #expect(try HostSettings(jailsRoot: path).jailsRoot == path)
    }

    @Test(
        "invalid values rejected",
        arguments: [
            ("zfs_dataset", "zroot/../x", SettingsError.Problem.invalidDataset),
            ("zfs_dataset", "zroot/a b", .invalidDataset),
            ("zfs_dataset", "zroot/a@s", .invalidDataset),
            ("zfs_dataset", "/zroot", .invalidDataset),
            ("release_mirror", "mirror.example/releases", .invalidURL),
            ("release_mirror", "http://127.0.0.1/a;reboot", .invalidURL),
            ("release_mirror", "http://", .invalidURL),
            ("uname_r", "14.2-STABLE", .notARelease),
            ("uname_r", "15.0-CURRENT", .notARelease),
            ("uname_r", "", .notARelease),
        ])
    func invalidValue(setting: String, value: String, problem: SettingsError.Problem) {
        #expect(throws: SettingsError(setting: setting, value: value, problem: problem)) {
            switch setting {
            case "zfs_dataset": _ = try HostSettings(zfsDataset: value)
            case "release_mirror": _ = try HostSettings(releaseMirror: value)
            default: _ = try HostSettings(unameR: value)
            }
        }
    }

    @Test("error message names the inventory variable")
    func message() {
        var message = ""
        do {
            _ = try HostSettings(jailsRoot: "/a\nb")
        } catch {
            message = error.description
        }
        #expect(
            message
                == "invalid jails_root \"/a\\nb\": it contains a control character such as a newline"
        )
    }
}
