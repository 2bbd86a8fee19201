#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Encodes documents for `--json`: pretty-printed, keys sorted, so scripts and diffs agree.
enum JSONOutput {
    /// Returns `value` as JSON text.
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // The documents are structs of strings, numbers, booleans and arrays, which always encode.
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }
}
