/// The first document of a YAML file as a node tree, with every problem found while reading it.
public struct YAMLDocument: Sendable {
    /// The path as the caller gave it; every location in the tree names it.
    public var file: String
    /// The root node; nil when the file is empty or a syntax error or a limit stopped reading.
    public var root: YAMLNode?
    /// Problems found while reading: syntax errors, duplicate keys, undefined aliases, limits.
    public var problems: [YAMLProblem]

    /// Reads and parses the file at `path`.
    public static func load(path: String, limits: YAMLLimits = YAMLLimits()) -> YAMLDocument {
        let bytes: [UInt8]
        do {
            bytes = try readFileBytes(path: path)
        } catch {
            let problem = YAMLProblem(.unreadableFile(reason: error.reason), at: nil)
            return YAMLDocument(file: path, root: nil, problems: [problem])
        }
        return parse(bytes: bytes, file: path, limits: limits)
    }

    /// Parses `text`, naming `file` in locations.
    public static func parse(
        _ text: String, file: String, limits: YAMLLimits = YAMLLimits()
    ) -> YAMLDocument {
        parse(bytes: Array(text.utf8), file: file, limits: limits)
    }

    private static func parse(bytes: [UInt8], file: String, limits: YAMLLimits) -> YAMLDocument {
        let parser = LibYAMLParser(bytes: bytes)
        var composer = YAMLComposer(file: file, limits: limits)
        let root = composer.compose(parser)
        return YAMLDocument(file: file, root: root, problems: composer.problems)
    }
}
