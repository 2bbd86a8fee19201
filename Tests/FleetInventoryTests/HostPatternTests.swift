import FleetInventory
import Testing

@Suite("Host patterns")
struct HostPatternTests {
    private static let text = """
        all:
          hosts:
            bastion:
          children:
            web:
              hosts:
                web1:
                web2:
                web3:
            db:
              hosts:
                db1:
                db2:
            prod:
              children:
                web:
              hosts:
                db1:
            staging:
              hosts:
                db2:
        """

    private let inventory: Inventory

    init() throws {
        inventory = try Inventory.parse(Self.text, file: "p.yml")
    }

    @Test(
        "pattern selects hosts",
        arguments: [
            ("all", ["bastion", "web1", "web2", "web3", "db1", "db2"]),
            ("*", ["bastion", "web1", "web2", "web3", "db1", "db2"]),
            ("web", ["web1", "web2", "web3"]),
            ("web2", ["web2"]),
            ("web*", ["web1", "web2", "web3"]),
            ("web[12]", ["web1", "web2"]),
            ("?b1", ["db1"]),
            ("web:db", ["web1", "web2", "web3", "db1", "db2"]),
            ("db,web1", ["web1", "db1", "db2"]),
            ("prod", ["web1", "web2", "web3", "db1"]),
            ("prod:&db", ["db1"]),
            ("web:!web3", ["web1", "web2"]),
            ("prod:!web", ["db1"]),
            ("all:!prod", ["bastion", "db2"]),
            ("!staging", ["bastion", "web1", "web2", "web3", "db1"]),
            ("ungrouped", ["bastion"]),
            ("stag*", ["db2"]),
            ("db:&prod:!db1:web1", ["web1"]),
        ])
    func select(pattern: String, expected: [String]) throws {
        #expect(try inventory.select(pattern, limit: nil).map(\.name) == expected)
    }

    @Test(
        "limit narrows the selection",
        arguments: [
            ("all", "web", ["web1", "web2", "web3"]),
            ("prod", "db*", ["db1"]),
            ("web", "!web1", ["web2", "web3"]),
        ])
    func limit(pattern: String, limit: String, expected: [String]) throws {
        #expect(try inventory.select(pattern, limit: limit).map(\.name) == expected)
    }

    @Test(
        "pattern errors",
        arguments: [
            ("wbe", nil, HostPatternError.noMatch(part: "wbe", suggestion: "web")),
            ("zzz*", nil, .noMatch(part: "zzz*", suggestion: nil)),
            ("web:&db", nil, .emptySelection(pattern: "web:&db")),
            ("", nil, .emptyPattern),
            ("web::db", nil, .emptyPart(pattern: "web::db")),
            ("~web.*", nil, .regularExpression(part: "~web.*")),
            ("web", "db", .emptyAfterLimit(pattern: "web", limit: "db")),
        ] as [(String, String?, HostPatternError)])
    func errors(pattern: String, limit: String?, expected: HostPatternError) {
        #expect(throws: expected) {
            try inventory.select(pattern, limit: limit)
        }
    }

    @Test("error messages")
    func messages() {
        #expect(
            HostPatternError.noMatch(part: "wbe", suggestion: "web").message
                == "'wbe' matches no host or group; did you mean 'web'?")
        #expect(
            HostPatternError.emptySelection(pattern: "web:&db").message
                == "host pattern 'web:&db' selects no hosts")
        #expect(
            HostPatternError.emptyAfterLimit(pattern: "web", limit: "db").message
                == "limit 'db' leaves none of the hosts that 'web' selects")
    }
}
