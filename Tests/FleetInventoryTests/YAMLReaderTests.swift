import Foundation
import FleetCore
import FleetYAML
import Testing

@Suite("YAML reader")
struct YAMLReaderTests {
    private func entries(_ text: String) -> [YAMLMappingEntry] {
        let document = YAMLDocument.parse(text, file: "t.yml")
        #expect(document.problems.isEmpty)
        return document.root?.mappingEntries ?? []
    }

    @Test("scalars keep text and style")
    func scalarTextAndStyle() throws {
        let text = "a: on\nb: 'no'\nc: \"13.10\"\nd: |\n  line\ne: >\n  folded\nf: 0123\ng: 14.0\n"
        let values = entries(text).map { ($0.keyText, $0.value.scalar) }
        let expected: [(String, String, YAMLScalar.Style)] = [
            ("a", "on", .plain), ("b", "no", .singleQuoted), ("c", "13.10", .doubleQuoted),
            ("d", "line\n", .literal), ("e", "folded\n", .folded), ("f", "0123", .plain),
            ("g", "14.0", .plain),
        ]
        #expect(values.count == expected.count)
        for (value, want) in zip(values, expected) {
            #expect(value.0 == want.0)
            #expect(value.1?.text == want.1)
            #expect(value.1?.style == want.2)
        }
    }

    @Test("locations are one-based")
    func locations() {
        let found = entries("top:\n  inner: value\n")
        #expect(found.first?.key.location == SourceLocation(file: "t.yml", line: 1, column: 1))
        let inner = found.first?.value.mappingEntries?.first
        #expect(inner?.key.location == SourceLocation(file: "t.yml", line: 2, column: 3))
        #expect(inner?.value.location == SourceLocation(file: "t.yml", line: 2, column: 10))
    }

    @Test("duplicate keys are problems")
    func duplicateKeys() {
        let document = YAMLDocument.parse("a: 1\nb: 2\na: 3\n", file: "t.yml")
        #expect(
            document.problems.map(\.rendered) == [
                "t.yml:3:1: error: duplicate key 'a'; it is first defined at t.yml:1:1"
            ])
        #expect(document.root?.mappingEntries?.count == 2)
    }

    @Test("duplicate keys found at any mapping size", arguments: [1, 2, 8, 9, 10, 40])
    func duplicateKeysBySize(size: Int) {
        // The composer searches small mappings and indexes large ones, so both must agree.
        var lines = (1...size).map { "k\($0): \($0)" }
        lines += ["k1: again", "k\(size): again", "new: 0"]
        let document = YAMLDocument.parse(lines.joined(separator: "\n") + "\n", file: "t.yml")

        #expect(
            document.problems.map(\.rendered) == [
                "t.yml:\(size + 1):1: error: duplicate key 'k1'; it is first defined at t.yml:1:1",
                "t.yml:\(size + 2):1: error: duplicate key 'k\(size)'; it is first defined at "
                    + "t.yml:\(size):1",
            ])
        #expect(document.root?.mappingEntries?.map(\.keyText).last == "new")
        #expect(document.root?.mappingEntries?.count == size + 1)
    }

    @Test("billion laughs is rejected quickly")
    func billionLaughs() {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(refs)]")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let document = YAMLDocument.parse(lines.joined(separator: "\n") + "\n", file: "lol.yml")
        let elapsed = clock.now - start

        #expect(document.root == nil)
        #expect(
            document.problems.map(\.message) == [
                "aliases expand the document beyond 100000 nodes, so it is rejected"
            ])
        #expect(elapsed < .seconds(2))
    }

    @Test("aliases within the limit expand")
    func aliasesExpand() {
        let found = entries("base: &b {port: 22}\nother: *b\n")
        #expect(found.last?.value.mappingEntries?.first?.value.scalar?.text == "22")
    }

    @Test("undefined alias is a problem")
    func undefinedAlias() {
        let document = YAMLDocument.parse("a: *nowhere\n", file: "t.yml")
        #expect(
            document.problems.map(\.rendered) == [
                "t.yml:1:4: error: alias '*nowhere' refers to no anchor defined before it"
            ])
    }

    @Test("syntax error has a position")
    func syntaxError() {
        let document = YAMLDocument.parse("a: [1, 2\nb: 3\n", file: "t.yml")
        #expect(document.root == nil)
        #expect(document.problems.count == 1)
        #expect(document.problems.first?.message.hasPrefix("invalid YAML: ") == true)
        #expect(document.problems.first?.location?.line == 2)
    }

    @Test(
        "bad text and tabs point at the byte",
        arguments: [
            (
                [0x61, 0x3A, 0x0A, 0x20, 0x20, 0x62, 0xFF, 0x3A, 0x0A],
                "t.yml:2:4: error: invalid text: invalid leading UTF-8 octet (bytes 0xFF); "
                    + "save the file as UTF-8 without control characters"
            ),
            (
                Array("a: ro".utf8) + [0xE9] + Array("t\n".utf8),
                "t.yml:1:6: error: invalid text: invalid trailing UTF-8 octet (bytes 0xE9 0x74); "
                    + "save the file as UTF-8 without control characters"
            ),
            (
                Array("a: r".utf8) + [0x07] + Array("t\n".utf8),
                "t.yml:1:5: error: invalid text: control characters are not allowed (U+0007); "
                    + "save the file as UTF-8 without control characters"
            ),
            (
                Array("a:\n\tb: 1\n".utf8),
                "t.yml:2:1: error: invalid YAML: a tab character here; YAML indents with "
                    + "spaces only, so replace the tab with spaces"
            ),
        ] as [([UInt8], String)])
    func badText(bytes: [UInt8], expected: String) throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("yaml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("t.yml")
        try Data(bytes).write(to: file)

        let document = YAMLDocument.load(path: file.path)
        let lines = document.problems.map {
            $0.rendered.replacingOccurrences(of: folder.path + "/", with: "")
        }
        #expect(lines == [expected])
    }

    @Test("second document is a problem")
    func multipleDocuments() {
        let document = YAMLDocument.parse("a: 1\n---\nb: 2\n", file: "t.yml")
        #expect(
            document.problems.map(\.rendered) == [
                "t.yml:2:1: error: expected one YAML document, but a second one starts here"
            ])
    }

    @Test("deep nesting is rejected")
    func deepNesting() {
        let text = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let document = YAMLDocument.parse(text, file: "t.yml")
        #expect(document.root == nil)
        #expect(
            document.problems.first?.message
                == "collections nest deeper than 256 levels, so the document is rejected")
    }

    @Test(
        "boolean spellings",
        arguments: [
            ("true", true), ("True", true), ("TRUE", true), ("yes", true), ("Yes", true),
            ("on", true), ("ON", true), ("false", false), ("No", false), ("off", false),
            ("OFF", false), ("y", nil), ("n", nil), ("oN", nil), ("1", nil), ("", nil),
        ] as [(String, Bool?)])
    func booleans(text: String, expected: Bool?) {
        #expect(YAMLSchema.boolean(text) == expected)
    }

    @Test(
        "integer texts",
        arguments: [
            ("22", .success(22)), ("0", .success(0)), ("-5", .success(-5)),
            ("+7", .success(7)), ("0755", .failure(.leadingZero)),
            ("00", .failure(.leadingZero)), ("22.0", .failure(.notWhole)),
            ("1e3", .failure(.notWhole)), ("0x1F", .failure(.notDecimal)),
            ("1_000", .failure(.notDecimal)), ("ten", .failure(.notDecimal)),
            ("99999999999999999999", .failure(.tooLarge)),
        ] as [(String, Result<Int, YAMLProblem.IntegerProblem>)])
    func integers(text: String, expected: Result<Int, YAMLProblem.IntegerProblem>) {
        #expect(YAMLSchema.integer(text) == expected)
    }

    @Test("typed getters report the field")
    func typedGetters() {
        let found = entries("flag: maybe\ncount: 0755\nmode: su\nmissing:\nlist: [1]\n")
        let node = { (key: String) in found.first { $0.keyText == key }!.value }
        #expect(
            throws: YAMLProblem(
                .invalidBoolean(key: "flag", text: "maybe"), at: node("flag").location)
        ) {
            try node("flag").boolean(key: "flag")
        }
        #expect(
            throws: YAMLProblem(
                .invalidInteger(key: "count", text: "0755", reason: .leadingZero),
                at: node("count").location)
        ) {
            try node("count").integer(key: "count", range: 0...10)
        }
        #expect(
            throws: YAMLProblem(
                .invalidChoice(
                    key: "mode", text: "su", allowed: ["sudo", "doas"], suggestion: "sudo"),
                at: node("mode").location)
        ) {
            try node("mode").choice(key: "mode", from: ["sudo", "doas"])
        }
        #expect(throws: YAMLProblem(.missingValue(key: "missing"), at: node("missing").location)) {
            try node("missing").string(key: "missing")
        }
        #expect(
            throws: YAMLProblem(
                .wrongKind(expected: .scalar, found: .sequence, key: "list"),
                at: node("list").location)
        ) {
            try node("list").string(key: "list")
        }
    }
}
