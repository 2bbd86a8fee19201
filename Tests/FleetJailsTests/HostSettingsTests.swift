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
        ])
    func invalidPath(path: String, problem: SettingsError.Problem) {
        #expect(throws: SettingsError(setting: "jailsRoot", value: path, problem: problem)) {
            try HostSettings(jailsRoot: path)
        }
        #expect(throws: SettingsError(setting: "stateDir", value: path, problem: problem)) {
            try HostSettings(stateDir: path)
        }
    }

    @Test(
        "invalid values rejected",
        arguments: [
            ("zfsDataset", "zroot/../x", SettingsError.Problem.invalidDataset),
            ("zfsDataset", "zroot/a b", .invalidDataset),
            ("zfsDataset", "zroot/a@s", .invalidDataset),
            ("zfsDataset", "/zroot", .invalidDataset),
            ("releaseMirror", "mirror.example/releases", .invalidURL),
            ("releaseMirror", "http://127.0.0.1/a;reboot", .invalidURL),
            ("releaseMirror", "http://", .invalidURL),
            ("unameR", "14.2-STABLE", .notARelease),
            ("unameR", "15.0-CURRENT", .notARelease),
            ("unameR", "", .notARelease),
        ])
    func invalidValue(setting: String, value: String, problem: SettingsError.Problem) {
        #expect(throws: SettingsError(setting: setting, value: value, problem: problem)) {
            switch setting {
            case "zfsDataset": _ = try HostSettings(zfsDataset: value)
            case "releaseMirror": _ = try HostSettings(releaseMirror: value)
            default: _ = try HostSettings(unameR: value)
            }
        }
    }

    @Test("error message names the setting")
    func message() {
        let error = SettingsError(setting: "jailsRoot", value: "/a\nb", problem: .controlCharacter)
        #expect(
            error.description
                == "invalid jailsRoot \"/a\\nb\": it contains a control character such as a newline"
        )
    }
}
