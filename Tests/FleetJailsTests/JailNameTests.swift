import FleetJails
import Testing

@Suite("Jail name rule")
struct JailNameTests {
    @Test(
        "hostile names rejected",
        arguments: [
            ("foo; reboot", JailNameError.Problem.invalidCharacter(";")),
            ("../x", .pathTraversal),
            ("a.b", .dot),
            ("-x", .leadingDash),
            ("", .empty),
            (String(repeating: "a", count: 300), .tooLong(300)),
            ("123", .digitsOnly),
            ("web-1", .dash),
            ("a/b", .slash),
            ("..", .pathTraversal),
            ("a b", .whitespace),
            ("a\tb", .whitespace),
            ("web\n", .whitespace),
            ("$(reboot)", .invalidCharacter("$")),
            ("`id`", .invalidCharacter("`")),
            ("a'b", .invalidCharacter("'")),
            ("a|b", .invalidCharacter("|")),
            ("a&b", .invalidCharacter("&")),
            ("a*", .invalidCharacter("*")),
            ("wéb", .invalidCharacter("é")),
            (String(repeating: "a", count: 64), .tooLong(64)),
            ("0", .digitsOnly),
            (String(repeating: "9", count: 63), .digitsOnly),
            (String(repeating: "1", count: 64), .tooLong(64)),
        ])
    func rejected(name: String, problem: JailNameError.Problem) {
        #expect(throws: JailNameError(name: name, problem: problem)) { try JailName(name) }
    }

    @Test(
        "valid names accepted unchanged",
        arguments: ["web", "Web_1", "_x", "1web", "skel", String(repeating: "a", count: 63)])
    func accepted(name: String) throws {
        #expect(try JailName(name).value == name)
    }

    @Test("error message gives the reason")
    func message() {
        let error = JailNameError(name: "foo; reboot", problem: .invalidCharacter(";"))
        #expect(
            error.description
                == "invalid jail name \"foo; reboot\": it contains ';', which is not a letter, "
                + "digit or '_'; use 1 to 63 letters, digits or '_', not digits only")
        let accented = JailNameError(name: "jäil", problem: .invalidCharacter("ä"))
        #expect(
            accented.description
                == "invalid jail name \"jäil\": it contains 'ä' (U+00E4), which is not an ASCII "
                + "letter, digit or '_'; use 1 to 63 letters, digits or '_', not digits only")
        let override = JailNameError(name: "a\u{202E}b", problem: .invalidCharacter("\u{202E}"))
        #expect(
            override.description.hasPrefix(
                "invalid jail name \"a\\u{202E}b\": it contains '\\u{202E}' (U+202E)"))
        let dot = JailNameError(name: "a.b", problem: .dot)
        #expect(dot.description.contains("hierarchical jail separator"))
        let long = JailNameError(name: String(repeating: "a", count: 300), problem: .tooLong(300))
        #expect(long.description.contains("it has 300 characters, more than the maximum of 63"))
        #expect(long.description.contains(String(repeating: "a", count: 40) + "..."))
        let newline = JailNameError(name: "web\n", problem: .whitespace)
        #expect(newline.description.hasPrefix("invalid jail name \"web\\n\""))
    }
}
