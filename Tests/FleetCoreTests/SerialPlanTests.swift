import FleetCore
import Testing

@Suite("Rolling batches")
struct SerialPlanTests {
    @Test(
        "batch sizes",
        arguments: [
            ("1", 3, [1, 1, 1]),
            ("2", 5, [2, 2, 1]),
            ("100%", 7, [7]),
            ("50%", 7, [3, 3, 1]),
            ("1,25%,100%", 12, [1, 3, 8]),
            ("1,25%,100%", 1, [1]),
            ("10%", 4, [1, 1, 1, 1]),
            ("5", 0, []),
        ])
    func batchSizes(text: String, hosts: Int, expected: [Int]) throws {
        let plan = try SerialPlan.parse(text)
        #expect(plan.batchSizes(hostCount: hosts) == expected)
        #expect(plan.description == text)
    }

    @Test(
        "invalid sizes",
        arguments: [
            (
                "0",
                "invalid batch size '0': a batch size must be a whole number of hosts (at least 1) or a percentage"
            ),
            ("0%", "invalid batch size '0%': a percentage must be 1% to 100%"),
            ("101%", "invalid batch size '101%': a percentage must be 1% to 100%"),
            (
                "1.5",
                "invalid batch size '1.5': a batch size must be a whole number of hosts (at least 1) or a percentage"
            ),
            (
                "",
                "invalid batch size '': a batch size must be a whole number of hosts (at least 1) or a percentage"
            ),
            (
                "010",
                "invalid batch size '010': a batch size must be a whole number of hosts (at least 1) or a percentage"
            ),
        ])
    func invalid(text: String, message: String) {
        #expect(throws: SerialPlanError.self) { try SerialPlan.parse(text) }
        do {
            _ = try SerialPlan.parse(text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("failure budget")
    func budget() {
        let strict = FailureBudget(maxFailPercent: 0)
        #expect(!strict.isExceeded(failed: 0, total: 6))
        #expect(strict.isExceeded(failed: 1, total: 6))
        let loose = FailureBudget(maxFailPercent: 20)
        #expect(!loose.isExceeded(failed: 1, total: 6))
        #expect(loose.isExceeded(failed: 2, total: 6))
        #expect(!loose.isExceeded(failed: 2, total: 10))
        #expect(FailureBudget(maxFailPercent: 100).isExceeded(failed: 6, total: 6) == false)
    }
}
