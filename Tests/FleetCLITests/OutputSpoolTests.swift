import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import FleetCLI
@testable import FleetSSH

/// The spool must keep exactly what `CapturedOutput` keeps in memory, for every way output
/// can arrive in chunks, and its lines must read as the whole output's lines read.
@Suite("Output spools and line rendering")
struct OutputSpoolTests {
    /// Output of `count` bytes that shows where every byte came from.
    static func stream(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 % 251) }
    }

    /// Everything `spool` kept, rendered with `prefix` in front of every line.
    static func rendered(_ spool: OutputSpool, prefix: String) -> String {
        var text = ""
        var renderer = LineRenderer(prefix: prefix)
        renderer.render(spool) { text += $0 }
        renderer.finish { text += $0 }
        return text
    }

    @Test(
        "spool matches in-memory capture",
        arguments: [
            (10, 100, 7),
            (100, 100, 3),
            (150, 100, 40),
            (10_000, 1_000, 333),
            (200_000, 150_000, 4_096),
            (200_000, 150_000, 65_536),
            (300_000, 1 << 20, 8_192),
            (300_001, 65_536, 8_192),
            (300_001, 65_536, 100_000),
        ])
    func sameAsCapture(total: Int, limit: Int, chunk: Int) {
        let bytes = Self.stream(total)
        let spool = OutputSpool(limit: limit)
        var capture = FleetSSH.CapturedOutput(limit: limit)
        var offset = 0
        while offset < total {
            let piece = Array(bytes[offset..<min(offset + chunk, total)])
            spool.append(piece)
            capture.append(piece[...])
            offset += piece.count
        }
        capture.finish()
        #expect(spool.totalBytes == capture.totalBytes)
        #expect(spool.keptBytes == capture.bytes)
        #expect(spool.text == capture.text)
        #expect(spool.failure == nil)
    }

    @Test("lines split across chunks")
    func linesAcrossChunks() {
        let text = "first\n\nsecond line\nd\u{e9}j\u{e0} vu\nno newline at the end"
        let bytes = Array(text.utf8)
        for chunk in [1, 2, 3, 7, bytes.count] {
            let spool = OutputSpool(limit: 1 << 20)
            var offset = 0
            while offset < bytes.count {
                spool.append(Array(bytes[offset..<min(offset + chunk, bytes.count)]))
                offset += chunk
            }
            let rendered = Self.rendered(spool, prefix: "[h] ")
            let expected = OperationJob.textLines(text).map { "[h] \($0)\n" }.joined()
            #expect(rendered == expected, "chunks of \(chunk) bytes")
        }
    }

    @Test("invalid UTF-8 replaced per line")
    func invalidBytes() {
        let spool = OutputSpool(limit: 1 << 20)
        spool.append([0xFF, 0x41, 0x0A, 0x42, 0x0A])
        let rendered = Self.rendered(spool, prefix: "")
        #expect(rendered == "\u{FFFD}A\nB\n")
    }

    @Test(
        "control characters in caret notation",
        arguments: [
            ([0x61, 0x1B, 0x5B, 0x6D, 0x0A], "a^[[m\n"),
            ([0x00, 0x09, 0x7F, 0x0A], "^@\t^?\n"),
            ([0x61, 0x0D, 0x0A, 0x62, 0x0D, 0x63, 0x0A], "a\nb^Mc\n"),
            ([0xC2, 0x9B, 0x31, 0x6D, 0xC3, 0xA9, 0x0A], "M-^[1m\u{E9}\n"),
            ([0x64, 0x0D], "d\n"),
        ] as [([UInt8], String)])
    func controlCharacters(bytes: [UInt8], expected: String) {
        let spool = OutputSpool(limit: 1 << 20)
        spool.append(bytes)
        #expect(Self.rendered(spool, prefix: "") == expected)
    }

    @Test("dropped middle as marker line")
    func droppedMiddle() {
        let spool = OutputSpool(limit: 10)
        spool.append(Array("abc\ndefghijklmnopq\nrs".utf8))
        let rendered = Self.rendered(spool, prefix: "> ")
        #expect(rendered == "> abc\n> d\n> [... 11 bytes not kept ...]\n> pq\n> rs\n")
    }

    @Test("marker names a complete copy only")
    func markerNamesCopy() throws {
        let folder = "/tmp/minijail-fleet-marker-\(getpid())"
        mkdir(folder, 0o700)
        defer {
            unlink(folder + "/web1.out")
            rmdir(folder)
        }
        let copy = OutputCopy(path: folder + "/web1.out")
        let spool = OutputSpool(limit: 4, copy: copy)
        spool.append(Array("abcdef".utf8))
        #expect(
            spool.marker(dropped: 2)
                == "[... 2 bytes not shown; all the output is in \(folder)/web1.out ...]")

        let missing = OutputCopy(path: "/nonexistent/minijail-fleet-test/web1.out")
        #expect(missing.failure?.hasPrefix("cannot write /nonexistent/") == true)
        let unsaved = OutputSpool(limit: 4, copy: missing)
        #expect(unsaved.marker(dropped: 2) == "[... 2 bytes not kept ...]")
    }

    @Test("large output in blocks")
    func blocks() {
        let line = Array(String(repeating: "x", count: 63).utf8) + [0x0A]
        let spool = OutputSpool(limit: 4 << 20)
        for _ in 0..<4_096 { spool.append(line) }
        var sizes: [Int] = []
        var renderer = LineRenderer(prefix: "[host] ")
        renderer.render(spool) { sizes.append($0.utf8.count) }
        renderer.finish { sizes.append($0.utf8.count) }
        #expect(sizes.reduce(0, +) == 4_096 * 71)
        #expect(sizes.count > 3)
        #expect(sizes.allSatisfy { $0 < 70_000 })
    }

    @Test("spool without file keeps start")
    func missingFolder() {
        let spool = OutputSpool(limit: 1 << 20, folder: "/nonexistent/minijail-fleet-test")
        let bytes = Self.stream(100_000)
        spool.append(Array(bytes[..<10_000]))
        spool.append(Array(bytes[10_000...]))
        #expect(spool.totalBytes == 100_000)
        #expect(spool.failure?.hasPrefix("cannot create a file for output in /nonexistent") == true)
        #expect(spool.keptBytes == Array(bytes[..<10_000]))
        #expect(spool.text.hasSuffix("\n[... 90000 bytes not kept ...]\n"))
    }
}
