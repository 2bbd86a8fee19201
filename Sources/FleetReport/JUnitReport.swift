/// One test case of a JUnit XML file: a host, its outcome and the lines that explain it.
public struct JUnitCase: Sendable, Equatable {
    /// The outcome of one host as JUnit records it.
    public enum Outcome: Sendable, Equatable {
        /// The host succeeded.
        case passed
        /// The host failed; `message` is the one-line reason.
        case failure(message: String)
        /// The host could not be reached or worked on; `message` is the one-line reason.
        case error(message: String)
        /// The host was not attempted.
        case skipped(message: String)
    }

    /// The host name, used as the test case name.
    public var name: String
    /// The outcome.
    public var outcome: Outcome
    /// Seconds spent on the host.
    public var seconds: Double
    /// Text for `<system-out>`: steps, output tails, warnings.
    public var output: String

    /// Creates a case.
    public init(name: String, outcome: Outcome, seconds: Double, output: String) {
        self.name = name
        self.outcome = outcome
        self.seconds = seconds
        self.output = output
    }
}

/// Renders a JUnit XML document that CI servers read: one suite, one case per host.
public enum JUnitReport {
    /// Returns the XML for the suite `suiteName` holding `cases`.
    public static func render(suiteName: String, cases: [JUnitCase]) -> String {
        var failures = 0
        var errors = 0
        var skipped = 0
        for testCase in cases {
            switch testCase.outcome {
            case .passed: break
            case .failure: failures += 1
            case .error: errors += 1
            case .skipped: skipped += 1
            }
        }
        let total = cases.reduce(0.0) { $0 + $1.seconds }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites>\n"
        xml +=
            "  <testsuite name=\"\(escape(suiteName))\" tests=\"\(cases.count)\" "
            + "failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\" "
            + "time=\"\(seconds(total))\">\n"
        for testCase in cases {
            xml +=
                "    <testcase classname=\"\(escape(suiteName))\" name=\"\(escape(testCase.name))\" "
                + "time=\"\(seconds(testCase.seconds))\">\n"
            switch testCase.outcome {
            case .passed:
                break
            case .failure(let message):
                xml += "      <failure message=\"\(escape(message))\"/>\n"
            case .error(let message):
                xml += "      <error message=\"\(escape(message))\"/>\n"
            case .skipped(let message):
                xml += "      <skipped message=\"\(escape(message))\"/>\n"
            }
            if !testCase.output.isEmpty {
                xml += "      <system-out>\(escape(testCase.output))</system-out>\n"
            }
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// Escapes text for XML content and attributes, dropping characters XML 1.0 forbids.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    result += "\u{FFFD}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    private static func seconds(_ value: Double) -> String {
        let milliseconds = Int((value * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count)
            + fraction
    }
}
