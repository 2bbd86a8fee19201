import FleetCore

/// Builds the node tree of the first document from libyaml events, collecting duplicate keys,
/// undefined aliases and limit violations.
///
/// Aliases expand to the anchored node itself, which shares its storage, so memory stays
/// proportional to the input; the expansion count still bounds what a reader of the tree walks.
///
/// NOTE: YAML 1.1 merge keys (`<<: *base`) are not merged; `<<` stays an ordinary key, so a
/// schema reports it as unknown instead of silently ignoring the merged values.
struct YAMLComposer {
    /// A collection being read. A class, so adding a node appends in place: an enum payload
    /// taken out of the stack would copy its array on every append, which made reading
    /// quadratic in the size of a mapping.
    private final class Frame {
        enum Kind {
            case sequence
            case mapping
        }

        let kind: Kind
        let start: Start
        var items: [YAMLNode] = []
        var entries: [YAMLMappingEntry] = []
        /// The key read and waiting for its value, in a mapping.
        var key: YAMLNode?
        /// The location of each key of `entries`, built once the mapping outgrows
        /// `linearSearchLimit`. Smaller mappings, such as one host's variables, search
        /// `entries` instead and allocate no dictionary.
        private var keyLocations: [String: SourceLocation]?
        private static let linearSearchLimit = 8

        init(_ kind: Kind, start: Start) {
            self.kind = kind
            self.start = start
        }

        /// Returns where the mapping first defines `keyText`, or nil when the key is new.
        func firstLocation(of keyText: String) -> SourceLocation? {
            if let keyLocations {
                return keyLocations[keyText]
            }
            return entries.first { $0.keyText == keyText }?.key.location
        }

        /// Appends an entry whose key the mapping does not have yet.
        func append(_ entry: YAMLMappingEntry) {
            entries.append(entry)
            if keyLocations != nil {
                keyLocations?[entry.keyText] = entry.key.location
            } else if entries.count > Self.linearSearchLimit {
                keyLocations = Dictionary(
                    uniqueKeysWithValues: entries.map { ($0.keyText, $0.key.location) })
            }
        }
    }

    private struct Start {
        var location: SourceLocation
        var anchor: String?
        var tag: String?
    }

    private let file: String
    private let limits: YAMLLimits
    private(set) var problems: [YAMLProblem] = []
    private var anchors: [String: YAMLNode] = [:]
    private var expandedByAliases = 0
    private var stack: [Frame] = []
    private var root: YAMLNode?

    init(file: String, limits: YAMLLimits) {
        self.file = file
        self.limits = limits
    }

    /// Reads events until the stream ends, a second document starts or a fatal problem stops
    /// the reading, and returns the root of the first document; nil after a fatal problem.
    mutating func compose(_ parser: LibYAMLParser) -> YAMLNode? {
        var documents = 0
        while true {
            let event: YAMLEvent
            do {
                event = try parser.nextEvent()
            } catch {
                let location = SourceLocation(file: file, line: error.line, column: error.column)
                problems.append(YAMLProblem(Self.kind(of: error), at: location))
                return nil
            }

            switch event {
            case .streamStart, .documentEnd:
                continue
            case .streamEnd:
                return root
            case .documentStart(let mark):
                documents += 1
                if documents > 1 {
                    problems.append(YAMLProblem(.multipleDocuments, at: location(mark)))
                    return root
                }
            case .scalar(let text, let style, let anchor, let tag, let mark):
                let node = YAMLNode(
                    content: .scalar(YAMLScalar(text: text, style: style)),
                    location: location(mark), tag: tag, expandedSize: 1)
                register(node, anchor: anchor)
                add(node)
            case .alias(let anchor, let mark):
                guard let node = anchors[anchor] else {
                    problems.append(YAMLProblem(.undefinedAlias(name: anchor), at: location(mark)))
                    add(nullNode(at: location(mark)))
                    continue
                }
                expandedByAliases += node.expandedSize
                if expandedByAliases > limits.maximumAliasExpansion {
                    problems.append(
                        YAMLProblem(
                            .aliasExpansionLimit(limit: limits.maximumAliasExpansion),
                            at: location(mark)))
                    return nil
                }
                add(node)
            case .sequenceStart(let anchor, let tag, let mark):
                let start = Start(location: location(mark), anchor: anchor, tag: tag)
                guard push(Frame(.sequence, start: start)) else { return nil }
            case .mappingStart(let anchor, let tag, let mark):
                let start = Start(location: location(mark), anchor: anchor, tag: tag)
                guard push(Frame(.mapping, start: start)) else { return nil }
            case .sequenceEnd, .mappingEnd:
                finishCollection()
            }
        }
    }

    private static func kind(of error: LibYAMLError) -> YAMLProblem.Kind {
        switch error.kind {
        case .syntax: return .syntax(problem: error.problem, context: error.context)
        case .tab: return .tabCharacter
        case .encoding(let detail): return .invalidText(problem: error.problem, detail: detail)
        }
    }

    private func location(_ mark: YAMLEvent.Mark) -> SourceLocation {
        SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    private func nullNode(at location: SourceLocation) -> YAMLNode {
        YAMLNode(
            content: .scalar(YAMLScalar(text: "", style: .plain)), location: location, tag: nil,
            expandedSize: 1)
    }

    private mutating func push(_ frame: Frame) -> Bool {
        stack.append(frame)
        guard stack.count <= limits.maximumNesting else {
            problems.append(
                YAMLProblem(.nestingLimit(limit: limits.maximumNesting), at: frame.start.location))
            return false
        }
        return true
    }

    private mutating func register(_ node: YAMLNode, anchor: String?) {
        if let anchor {
            anchors[anchor] = node
        }
    }

    private mutating func finishCollection() {
        guard let frame = stack.popLast() else { return }
        let node: YAMLNode
        switch frame.kind {
        case .sequence:
            let size = frame.items.reduce(1) { $0 + $1.expandedSize }
            node = YAMLNode(
                content: .sequence(frame.items), location: frame.start.location,
                tag: frame.start.tag, expandedSize: size)
        case .mapping:
            let size = frame.entries.reduce(1) {
                $0 + $1.key.expandedSize + $1.value.expandedSize
            }
            node = YAMLNode(
                content: .mapping(frame.entries), location: frame.start.location,
                tag: frame.start.tag, expandedSize: size)
        }
        register(node, anchor: frame.start.anchor)
        add(node)
    }

    private mutating func add(_ node: YAMLNode) {
        guard let frame = stack.last else {
            root = node
            return
        }
        switch frame.kind {
        case .sequence:
            frame.items.append(node)
        case .mapping:
            guard let key = frame.key else {
                if node.scalar == nil {
                    problems.append(YAMLProblem(.nonScalarKey, at: node.location))
                }
                frame.key = node
                return
            }
            frame.key = nil
            guard let keyText = key.scalar?.text else { return }
            if let first = frame.firstLocation(of: keyText) {
                problems.append(
                    YAMLProblem(.duplicateKey(key: keyText, first: first), at: key.location))
            } else {
                frame.append(YAMLMappingEntry(key: key, keyText: keyText, value: node))
            }
        }
    }
}
