import Testing

@testable import FleetSSH

@Suite("banner check")
struct BannerCheckTests {
    @Test(
        "first bytes are sorted",
        arguments: [
            ("", BannerCheck.Verdict.closed),
            ("SSH-2.0-OpenSSH_9.2\r\n", .ssh),
            ("SSH-2.0-Open", .ssh),
            ("SS", .incomplete(partialLine: nil)),
            ("welcome\r\nSSH-2.0-x\r\n", .preamble(line: "welcome", length: 9)),
            ("\r\nSSH-2.0-x\r\n", .preamble(line: "", length: 2)),
            (
                "HTTP/1.1 400 Bad Request\r\n\r\n",
                .preamble(line: "HTTP/1.1 400 Bad Request", length: 26)
            ),
            ("220 smtp ready", .incomplete(partialLine: "220 smtp ready")),
            ("\0\0SSH-2.0-x\r\n", .notSSH("??SSH-2.0-x")),
        ])
    func classify(input: String, verdict: BannerCheck.Verdict) {
        #expect(BannerCheck.classify(Array(input.utf8)) == verdict)
    }

    @Test(
        "protocol versions other than 2.0 are named",
        arguments: [
            ("SSH-2.0-OpenSSH_9.2\r\n", nil as String?),
            ("SSH-1.99-OpenSSH_3.9\r\n", nil),
            ("SSH-1.5-OpenSSH_1.2.3\r\n", "SSH-1.5-OpenSSH_1.2.3"),
            ("SSH-3.0-future\n", "SSH-3.0-future"),
            ("SSH-2.0\r\n", "SSH-2.0"),
            ("SSH-1.5", nil),
            ("SSH-1.5-", "SSH-1.5-"),
            ("SSH-2.0-Open", nil),
        ])
    func versions(line: String, unsupported: String?) {
        #expect(BannerCheck.unsupportedVersion(Array(line.utf8)) == unsupported)
    }

    @Test("line longer than 8 KiB is not SSH")
    func longLine() {
        let line = Array(repeating: UInt8(ascii: "z"), count: BannerCheck.maxLineLength)
        #expect(BannerCheck.classify(line) == .notSSH(String(repeating: "z", count: 80)))
        #expect(
            BannerCheck.classify(Array(line.dropLast()))
                == .incomplete(partialLine: String(repeating: "z", count: 80)))
    }

    @Test(
        "the identification line ends at its newline",
        arguments: [
            ("SSH-2.0-OpenSSH_9.2\r\n\0\0\u{4}", 21 as Int?),
            ("SSH-2.0-Open", nil),
            ("welcome\r\nSSH-2.0-x\r\nrest", 20),
            ("welcome\r\n", nil),
        ])
    func identificationEnd(input: String, end: Int?) {
        #expect(BannerCheck.identificationEnd(Array(input.utf8)) == end)
    }
}
