/// The tool's version, printed by `--version` and recorded in reports.
public let minijailFleetVersion = "0.1.0"
