extension Duration {
    /// The duration in seconds, with its fraction, for reports and JSON.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
