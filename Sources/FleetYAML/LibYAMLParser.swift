import CYAML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one owner of a libyaml `yaml_parser_t`; every libyaml and libc call of FleetYAML lives in
/// this file.
///
/// The parser reads from its own copy of the input bytes, which it frees with the parser in
/// `deinit`.
final class LibYAMLParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>

    /// Creates a parser over a copy of `bytes` (`yaml_parser_initialize`,
    /// `yaml_parser_set_input_string`).
    init(bytes: [UInt8]) {
        parser = .allocate(capacity: 1)
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)

        // yaml_parser_initialize fails only when malloc fails, which Swift treats as fatal too.
        guard yaml_parser_initialize(parser) == 1 else {
            fatalError("yaml_parser_initialize failed: out of memory")
        }
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// Returns the next event (`yaml_parser_parse`), or throws libyaml's own description of the
    /// syntax error.
    func nextEvent() throws(LibYAMLError) -> YAMLEvent {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            throw currentError()
        }
        defer { yaml_event_delete(&event) }
        return convert(event)
    }

    private func currentError() -> LibYAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "unknown libyaml error"
        let context = state.context.map { String(cString: $0) }

        if state.error == YAML_READER_ERROR {
            return readerError(state, problem: problem, context: context)
        }
        let line = Int(state.problem_mark.line) + 1
        let column = Int(state.problem_mark.column) + 1
        let kind: LibYAMLError.Kind = byte(atLine: line, column: column) == 0x09 ? .tab : .syntax
        return LibYAMLError(
            kind: kind, problem: problem, context: context, line: line, column: column)
    }

    /// Describes a reader error (bytes that are not UTF-8, a control character), which
    /// libyaml reports as a byte offset and the offending value, not as a position.
    private func readerError(
        _ state: yaml_parser_t, problem: String, context: String?
    ) -> LibYAMLError {
        let offset = min(Int(state.problem_offset), input.count)
        let value = Int(state.problem_value)
        var start = offset
        var detail: String?
        if problem.contains("UTF-8") {
            start = sequenceStart(problem: problem, offset: offset)
            let end = problem.contains("incomplete") ? input.count : min(offset + 1, input.count)
            if start < end {
                detail = "bytes " + input[start..<end].map(Self.hex).joined(separator: " ")
            }
        } else if value >= 0 {
            let digits = String(value, radix: 16, uppercase: true)
            detail = "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }
        let (line, column) = position(ofByte: start)
        return LibYAMLError(
            kind: .encoding(detail: detail), problem: problem, context: context,
            line: line, column: column)
    }

    /// Returns where the bad UTF-8 sequence starts: libyaml reports a bad trailing byte at
    /// its own offset, after the lead byte that opened the sequence.
    private func sequenceStart(problem: String, offset: Int) -> Int {
        guard problem.contains("trailing") else { return offset }
        var start = offset
        while start > 0 {
            start -= 1
            if input[start] & 0xC0 != 0x80 { break }
        }
        return start
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count == 1 ? "0" + digits : digits)
    }

    /// Returns the 1-based line and column (in characters) of the byte at `offset`.
    private func position(ofByte offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in input.prefix(min(offset, input.count)) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // Count lead bytes only, so a multi-byte character is one column.
                column += 1
            }
        }
        return (line, column)
    }

    /// Returns the first byte of the character at a 1-based line and column, or nil past
    /// the end of the input.
    private func byte(atLine line: Int, column: Int) -> UInt8? {
        var currentLine = 1
        var currentColumn = 1
        for byte in input {
            if currentLine == line && currentColumn == column && byte & 0xC0 != 0x80 {
                return byte
            }
            if byte == 0x0A {
                currentLine += 1
                currentColumn = 1
            } else if byte & 0xC0 != 0x80 {
                currentColumn += 1
            }
            if currentLine > line { return nil }
        }
        return nil
    }

    private func convert(_ event: yaml_event_t) -> YAMLEvent {
        let mark = YAMLEvent.Mark(
            line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_STREAM_END_EVENT:
            return .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(mark)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(anchor: string(event.data.alias.anchor) ?? "", mark: mark)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(
                decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length),
                as: UTF8.self)
            return .scalar(
                text: text, style: style(scalar.style), anchor: string(scalar.anchor),
                tag: string(scalar.tag), mark: mark)
        case YAML_SEQUENCE_START_EVENT:
            let start = event.data.sequence_start
            return .sequenceStart(anchor: string(start.anchor), tag: string(start.tag), mark: mark)
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let start = event.data.mapping_start
            return .mappingStart(anchor: string(start.anchor), tag: string(start.tag), mark: mark)
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            // YAML_NO_EVENT: libyaml emits it only after the stream ended.
            return .streamEnd
        }
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }
}

/// libyaml's description of why parsing stopped, with a 1-based position.
struct LibYAMLError: Error {
    /// The kind of failure, for a message that says what to change.
    enum Kind {
        /// Invalid YAML syntax.
        case syntax
        /// Invalid YAML syntax at a tab character, which YAML does not allow in indentation.
        case tab
        /// Bytes that are not UTF-8, or a character YAML does not allow; `detail` shows the
        /// offending bytes or code point, such as `bytes 0xE9 0x74` or `U+0007`.
        case encoding(detail: String?)
    }

    /// The kind of failure.
    var kind: Kind
    /// libyaml's `problem` text, such as "found character that cannot start any token".
    var problem: String
    /// libyaml's `context` text, such as "while scanning a simple key", when it gives one.
    var context: String?
    /// Line of the problem, starting at 1.
    var line: Int
    /// Column of the problem in characters, starting at 1.
    var column: Int
}

/// Reads the whole file at `path` (`fopen`, `fread`), or throws the `strerror` text.
func readFileBytes(path: String) throws(FileReadError) -> [UInt8] {
    guard let file = fopen(path, "rb") else {
        throw FileReadError(reason: String(cString: strerror(errno)))
    }
    defer { fclose(file) }

    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        bytes.append(contentsOf: chunk[0..<count])
        if count < chunk.count {
            break
        }
    }
    if ferror(file) != 0 {
        throw FileReadError(reason: String(cString: strerror(errno)))
    }
    return bytes
}

/// The `strerror` text of a failed file read.
struct FileReadError: Error {
    /// The system's reason, such as "No such file or directory".
    var reason: String
}
