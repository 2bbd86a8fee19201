import FleetCore
import Testing

@Suite("Shell quoting")
struct ShellQuoteTests {
    @Test(
        "quote",
        arguments: [
            ("web1", "web1"),
            ("/var/jails/web", "/var/jails/web"),
            ("", "''"),
            ("foo; reboot", "'foo; reboot'"),
            ("it's", "'it'\\''s'"),
            ("$HOME", "'$HOME'"),
            ("a b", "'a b'"),
        ])
    func quote(input: String, expected: String) {
        #expect(ShellQuote.quote(input) == expected)
    }

    @Test("nearest suggestion")
    func nearest() {
        let options = ["--forks", "--json", "--group"]
        #expect(Suggestion.nearest(to: "--forsk", in: options) == "--forks")
        #expect(Suggestion.nearest(to: "zzzzzz", in: ["--forks", "--json"]) == nil)
        #expect(Suggestion.nearest(to: "WEB1", in: ["web1", "web2", "db"]) == "web1")
        #expect(Suggestion.nearest(to: "childs", in: ["children", "hosts", "vars"]) == "children")
        #expect(Suggestion.nearest(to: "[", in: ["db", "web"]) == nil)
        #expect(Suggestion.nearest(to: "-x", in: ["-i", "-v", "-q"]) == nil)
    }
}
