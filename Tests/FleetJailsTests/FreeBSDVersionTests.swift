import FleetJails
import Testing

@Suite("FreeBSD version")
struct FreeBSDVersionTests {
    @Test(
        "parse",
        arguments: [
            ("14.1-RELEASE-p6", "14.1-RELEASE", true),
            ("14.1-RELEASE", "14.1-RELEASE", true),
            ("14.2", "14.2-RELEASE", true),
            ("14.2-RC1", "14.2-RC1", true),
            ("14.2-BETA2-p1", "14.2-BETA2", true),
            ("15.0-ALPHA3", "15.0-ALPHA3", true),
            ("14.2-STABLE", "14.2-STABLE", false),
            ("15.0-CURRENT", "15.0-CURRENT", false),
            ("13.3-PRERELEASE", "13.3-PRERELEASE", false),
        ])
    func parse(text: String, releaseName: String, isRelease: Bool) throws {
        let version = try FreeBSDVersion(text)
        #expect(version.releaseName == releaseName)
        #expect(version.isRelease == isRelease)
    }

    @Test("malformed", arguments: ["", "14", "14.1-", "14.1-RELEASE-x", "abc", "14.1-RC", "1.2.3"])
    func malformed(text: String) {
        #expect(throws: FreeBSDVersionError(text: text)) { try FreeBSDVersion(text) }
    }

    @Test("order")
    func order() throws {
        #expect(try FreeBSDVersion("14.1-RELEASE-p5") < FreeBSDVersion("14.1-RELEASE-p6"))
        #expect(try FreeBSDVersion("14.1-RELEASE") < FreeBSDVersion("14.1-RELEASE-p1"))
        #expect(try FreeBSDVersion("14.2-RC1") < FreeBSDVersion("14.2-RELEASE"))
        #expect(try FreeBSDVersion("13.4-RELEASE-p9") < FreeBSDVersion("14.0-RELEASE"))
    }
}
