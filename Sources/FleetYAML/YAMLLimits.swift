/// Bounds that keep a hostile document from exhausting time or memory.
public struct YAMLLimits: Sendable {
    /// The maximum number of nodes that aliases may add to a document, counting each alias
    /// as the size of the subtree it stands for.
    public var maximumAliasExpansion: Int
    /// The maximum depth of nested sequences and mappings.
    public var maximumNesting: Int

    /// Creates limits; the defaults leave room for inventories of many thousand hosts while
    /// rejecting a "billion laughs" document after at most that many nodes of work.
    public init(maximumAliasExpansion: Int = 100_000, maximumNesting: Int = 256) {
        self.maximumAliasExpansion = maximumAliasExpansion
        self.maximumNesting = maximumNesting
    }
}
