import FleetCLI
import Testing

/// What `exec` prints for output bytes that a terminal or a mail reader would misread.
@Suite("exec output display", .serialized)
struct ExecDisplayTests {
    @Test("control characters shown visibly")
    func controlCharacters() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        // ESC starts a colour, NUL and a bare CR sit mid-line, and CRLF ends the lines.
        let command =
            #"printf 'a\033[31mred\033[0m\000b\r\nfirst\rsecond\r\n'; printf 'e\033\r\n' >&2"#
        let run = await fleet.run(["exec", "--all", "--", command])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(
            run.standardOutput.hasPrefix("[host01] a^[[31mred^[[0m^@b\n[host01] first^Msecond\n"))
        #expect(run.standardError == "[host01] e^[\n")
        #expect(!run.standardOutput.contains("\u{1B}"))
        #expect(!run.standardOutput.contains("\r"))
    }

    @Test("quiet run prints only failures")
    func quietRun() async throws {
        let fleet = try await SimulatedFleet.start(count: 2)
        defer { fleet.stop() }
        let allOK = await fleet.run(["exec", "--all", "-q", "--", "echo out"])
        #expect(allOK.status == 0, "\(allOK.standardError)")
        #expect(allOK.standardOutput.isEmpty, "\(allOK.standardOutput)")
        #expect(allOK.standardError.isEmpty, "\(allOK.standardError)")

        let failing = await fleet.run(["exec", "--all", "-q", "--", "echo out; exit 3"])
        #expect(failing.status == 1, "\(failing.standardError)")
        #expect(failing.standardOutput.contains("[host01] out\n"), "\(failing.standardOutput)")
        #expect(
            failing.standardOutput.contains("RECAP 2 hosts: 0 ok, 0 changed, 2 failed, "),
            "\(failing.standardOutput)")
    }

    @Test("JUnit file keeps each host's output")
    func junitOutput() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let path = fleet.directory + "/exec.xml"
        let run = await fleet.run([
            "exec", "--all", "--junit", path, "--", "echo out; echo 'a<b' >&2; exit 2",
        ])
        #expect(run.status == 1, "\(run.standardError)")
        let xml = try String(contentsOfFile: path, encoding: .utf8)
        #expect(xml.contains("<failure message=\"exit status 2\""), "\(xml)")
        #expect(xml.contains("stdout:\nout\nstderr:\na&lt;b</system-out>"), "\(xml)")
    }

    @Test("group shows control characters visibly")
    func groupControlCharacters() async throws {
        let fleet = try await SimulatedFleet.start(count: 2)
        defer { fleet.stop() }
        let run = await fleet.run(["exec", "--all", "--group", "--", #"printf 'x\033[1my\r\n'"#])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.hasPrefix("=== host01, host02 (2 hosts, ok)\nx^[[1my\n"))
    }

    @Test("group splits failures by ending")
    func groupByEnding() async throws {
        let fleet = try await SimulatedFleet.start(count: 3)
        defer { fleet.stop() }
        // The same output everywhere; host01 exits 1, the others 2.
        let command = #"echo same; [ "$(uname -n)" = host01 ] && exit 1; exit 2"#
        let run = await fleet.run(["exec", "--all", "--group", "--", command])
        #expect(run.status == 1, "\(run.standardError)")
        #expect(run.standardOutput.contains("=== host01 (1 host, failed, exit status 1)\nsame\n"))
        #expect(
            run.standardOutput.contains(
                "=== host02, host03 (2 hosts, failed, exit status 2)\nsame\n"),
            "\(run.standardOutput)")
    }
}
