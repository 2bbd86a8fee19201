import FleetCore
import Testing

@testable import FleetInventory

/// Hosts listed in the same groups share how those groups resolve. Each host must still get
/// its own name, its own settings and its own conflict messages.
@Suite("Hosts sharing groups")
struct SharedGroupTests {
    private let conflicting = """
        all:
          children:
            left:
              vars:
                user: alice
                port: 2201
              hosts:
                a1:
                a2:
                  user: root
                a3:
                solo:
            right:
              vars:
                user: bob
                port: 2202
              hosts:
                a1:
                a2:
                a3:
        """

    private func problems(_ text: String) -> [String] {
        do {
            _ = try Inventory.parse(text, file: "s.yml")
            return []
        } catch {
            return error.renderedLines
        }
    }

    @Test("conflicts reported per host, in order")
    func conflictsPerHost() {
        func conflict(_ host: String, at line: Int, _ variable: String, _ valueLine: Int)
            -> String
        {
            "s.yml:\(line):9: error: host '\(host)' gets different values of '\(variable)' "
                + "from unrelated groups 'left' (s.yml:\(valueLine):15) and 'right' "
                + "(s.yml:\(valueLine + 10):15); set it on the host or in one group"
        }
        #expect(
            problems(conflicting) == [
                conflict("a1", at: 8, "port", 6), conflict("a1", at: 8, "user", 5),
                conflict("a2", at: 9, "port", 6),
                conflict("a3", at: 11, "port", 6), conflict("a3", at: 11, "user", 5),
            ])
    }

    @Test("host setting hides its groups' conflict")
    func hostSettingHidesConflict() {
        let lines = problems(conflicting)
        #expect(!lines.contains { $0.contains("host 'a2' gets different values of 'user'") })
        #expect(!lines.contains { $0.contains("'solo'") })
    }

    @Test("each host keeps its own name and settings")
    func ownValues() throws {
        let text = """
            all:
              children:
                web:
                  vars:
                    port: 2222
                  hosts:
                    w1:
                    w2:
                      port: 22
                    w3:
                      address: 10.0.0.3
            """
        let inventory = try Inventory.parse(text, file: "s.yml")
        let hosts = ["w1", "w2", "w3"].map { inventory.host(named: $0) }

        #expect(hosts.map { $0?.variables.address } == ["w1", "w2", "10.0.0.3"])
        #expect(hosts.map { $0?.variables.port } == [2222, 22, 2222])
        #expect(hosts.map { $0?.groups } == [["web"], ["web"], ["web"]])
        let origins = hosts.map { host in
            host?.resolvedVariables.first { $0.variable == .address }?.origin
        }
        #expect(origins[0] == .defaultValue)
        #expect(origins[1] == .defaultValue)
        #expect(origins[2] == .host(SourceLocation(file: "s.yml", line: 11, column: 20)))
    }

    @Test("variable index follows allCases")
    func variableIndex() {
        for (offset, variable) in InventoryVariable.allCases.enumerated() {
            #expect(variable.index == offset, "\(variable.name)")
        }
        #expect(Set(InventoryVariable.allCases).count == InventoryVariable.allCases.count)
    }

    @Test("every name and alias finds its variable")
    func namedLookup() {
        for variable in InventoryVariable.allCases {
            #expect(InventoryVariable.named(variable.name) == variable)
            for alias in variable.ansibleAliases {
                #expect(InventoryVariable.named(alias) == variable, "\(alias)")
            }
        }
        #expect(InventoryVariable.named("prot") == nil)
        #expect(InventoryVariable.named("Port") == nil)
    }

    @Test(
        "names checked by bytes and by characters agree",
        arguments: [
            ("web-1.example_a@b", true, true),
            ("wéb1", true, true),
            ("a/b", false, true),
            ("a\\\\b", false, true),
            ("web,1", false, false),
            ("web~1", true, true),
            // The combining mark joins the comma into one character, which is not ','.
            ("a,\\u0301b", true, true),
        ])
    func nameRules(name: String, validHost: Bool, validGroup: Bool) {
        let host = problems("all:\n  hosts:\n    \"\(name)\":\n")
        let group = problems("all:\n  children:\n    \"\(name)\":\n")
        #expect(host.isEmpty == validHost, "\(host)")
        #expect(group.isEmpty == validGroup, "\(group)")
    }
}
