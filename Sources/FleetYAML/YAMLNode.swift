import FleetCore

/// One node of a YAML document with the position it starts at.
public struct YAMLNode: Sendable {
    /// The value a node holds.
    public enum Content: Sendable {
        /// A scalar.
        case scalar(YAMLScalar)
        /// A sequence of nodes, in file order.
        case sequence([YAMLNode])
        /// A mapping, with its entries in file order; keys are unique scalars.
        case mapping([YAMLMappingEntry])
    }

    /// The value.
    public var content: Content
    /// Where the node starts in its file.
    public var location: SourceLocation
    /// The explicit tag, such as `tag:yaml.org,2002:str` for `!!str`, or nil.
    public var tag: String?
    /// The number of nodes in this subtree, counting every alias expansion.
    var expandedSize: Int

    /// Creates a node; `expandedSize` counts the nodes of the subtree.
    init(content: Content, location: SourceLocation, tag: String?, expandedSize: Int) {
        self.content = content
        self.location = location
        self.tag = tag
        self.expandedSize = expandedSize
    }

    /// The node kind, with a null scalar reported as `.null`.
    public var kind: YAMLNodeKind {
        switch content {
        case .scalar(let scalar): return scalar.isNull && tag == nil ? .null : .scalar
        case .sequence: return .sequence
        case .mapping: return .mapping
        }
    }

    /// Whether the node is an untagged null scalar (empty, `~` or `null`).
    public var isNull: Bool { kind == .null }

    /// The scalar, when the node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// The mapping entries, when the node is a mapping.
    public var mappingEntries: [YAMLMappingEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The sequence items, when the node is a sequence.
    public var sequenceItems: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }
}

/// The kind of a node, as problem messages name it.
public enum YAMLNodeKind: Sendable, Hashable, CustomStringConvertible {
    /// An empty value (`key:` with nothing after it, `~` or `null`).
    case null
    /// A scalar.
    case scalar
    /// A sequence.
    case sequence
    /// A mapping.
    case mapping

    /// The kind with its article, as in "expected a mapping".
    public var description: String {
        switch self {
        case .null: return "an empty value"
        case .scalar: return "a scalar"
        case .sequence: return "a sequence"
        case .mapping: return "a mapping"
        }
    }
}

/// One `key: value` pair of a mapping.
public struct YAMLMappingEntry: Sendable {
    /// The key node, always a scalar.
    public var key: YAMLNode
    /// The key's text.
    public var keyText: String
    /// The value node.
    public var value: YAMLNode
}
