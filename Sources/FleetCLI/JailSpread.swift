import FleetCore
import FleetJails

/// `jail create --spread`: places each new jail on one host.
enum JailSpread {
    /// Not written yet; reports so and exits 70.
    static func run(_ context: CommandContext, names: [JailName], start: Bool) async -> ExitStatus {
        context.console.error("--spread is not implemented yet")
        return .software
    }
}
