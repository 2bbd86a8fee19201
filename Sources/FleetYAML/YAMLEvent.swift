/// One libyaml parse event, copied into Swift values.
enum YAMLEvent {
    /// A 1-based position in the input.
    struct Mark {
        /// Line, starting at 1.
        var line: Int
        /// Column in characters, starting at 1.
        var column: Int
    }

    case streamStart
    case streamEnd
    case documentStart(Mark)
    case documentEnd
    case alias(anchor: String, mark: Mark)
    case scalar(text: String, style: YAMLScalar.Style, anchor: String?, tag: String?, mark: Mark)
    case sequenceStart(anchor: String?, tag: String?, mark: Mark)
    case sequenceEnd
    case mappingStart(anchor: String?, tag: String?, mark: Mark)
    case mappingEnd
}
