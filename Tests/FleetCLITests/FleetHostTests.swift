import FleetInventory
import FleetSSH
import Testing

@testable import FleetCLI

@Suite("Inventory host to SSH target")
struct FleetHostTests {
    static let inventory = """
        all:
          vars:
            become: true
          hosts:
            as-root:
              user: root
            as-operator:
              user: fleetop
            with-doas:
              user: fleetop
              become_method: doas
            without:
              user: fleetop
              become: false
        """

    @Test(
        "become only for non-root users",
        arguments: [
            ("as-root", Become.none), ("as-operator", .sudo), ("with-doas", .doas),
            ("without", .none),
        ])
    func become(host name: String, expected: Become) throws {
        let inventory = try Inventory.parse(Self.inventory, file: "hosts.yml")
        let host = try #require(inventory.host(named: name))
        let fleetHost = try FleetHost.make(host, environment: [:]).get()
        #expect(fleetHost.target.become == expected)
    }
}
