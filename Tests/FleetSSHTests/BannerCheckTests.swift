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
            ("SS", .incomplete),
            ("welcome\r\nSSH-2.0-x\r\n", .ssh),
            ("HTTP/1.1 400 Bad Request\r\n\r\n", .notSSH("HTTP/1.1 400 Bad Request")),
            ("220 smtp ready", .notSSH("220 smtp ready")),
        ])
    func classify(input: String, verdict: BannerCheck.Verdict) {
        #expect(BannerCheck.classify(Array(input.utf8)) == verdict)
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
