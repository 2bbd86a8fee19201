import Testing

@testable import FleetSSH

@Suite("bounded output capture")
struct CapturedOutputTests {
    @Test("small output is kept whole")
    func small() {
        var capture = CapturedOutput(limit: 100)
        capture.append(Array("hello ".utf8)[...])
        capture.append(Array("world".utf8)[...])
        capture.finish()
        #expect(capture.text == "hello world")
        #expect(capture.totalBytes == 11)
        #expect(!capture.truncated)
    }

    @Test("large output keeps head and tail", arguments: [1, 7, 64, 1000])
    func large(chunk: Int) {
        let input = (0..<10_000).map { UInt8(truncatingIfNeeded: $0) }
        var capture = CapturedOutput(limit: 100)
        var offset = 0
        while offset < input.count {
            capture.append(input[offset..<min(offset + chunk, input.count)])
            offset += chunk
        }
        capture.finish()
        #expect(capture.totalBytes == 10_000)
        #expect(capture.truncated)
        #expect(capture.head == Array(input.prefix(50)))
        #expect(capture.tail == Array(input.suffix(50)))
    }

    @Test("UTF-8 split across chunks decodes after joining")
    func splitCharacter() {
        let bytes = Array("né€".utf8)
        var capture = CapturedOutput(limit: 100)
        for byte in bytes { capture.append([byte][...]) }
        capture.finish()
        #expect(capture.text == "né€")
    }

    @Test("invalid UTF-8 is replaced only for display")
    func invalidBytes() {
        var capture = CapturedOutput(limit: 100)
        capture.append([0x61, 0xff, 0x62][...])
        capture.finish()
        #expect(capture.bytes == [0x61, 0xff, 0x62])
        #expect(capture.text == "a\u{FFFD}b")
    }

    @Test("truncated text marks the gap")
    func gapMarker() {
        var capture = CapturedOutput(limit: 4)
        capture.append(Array("abcdefgh".utf8)[...])
        capture.finish()
        #expect(capture.text == "ab\n[... 4 bytes not kept ...]\ngh")
    }
}
