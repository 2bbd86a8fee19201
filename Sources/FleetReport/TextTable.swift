/// A plain-text table: a header row, then rows whose cells are padded to the widest cell of
/// their column, columns separated by two spaces and no trailing blanks.
struct TextTable {
    /// The alignment of a column's cells.
    enum Alignment {
        case left
        case right
    }

    /// One row: cells for every column, or a first cell followed by free text that ignores
    /// the later columns (such as an unreachable host and its reason).
    enum Row {
        case cells([String])
        case note(first: String, text: String)
    }

    var headers: [String]
    var alignments: [Alignment]
    var rows: [Row] = []

    /// Returns the header line and one line per row.
    func lines() -> [String] {
        var widths = headers.map(\.count)
        for row in rows {
            switch row {
            case .cells(let cells):
                for (index, cell) in cells.enumerated() where index < widths.count {
                    widths[index] = max(widths[index], cell.count)
                }
            case .note(let first, _):
                widths[0] = max(widths[0], first.count)
            }
        }
        var lines = [line(headers, widths: widths)]
        for row in rows {
            switch row {
            case .cells(let cells):
                lines.append(line(cells, widths: widths))
            case .note(let first, let text):
                lines.append(pad(first, to: widths[0], alignment: .left) + "  " + text)
            }
        }
        return lines
    }

    private func line(_ cells: [String], widths: [Int]) -> String {
        var parts: [String] = []
        for (index, cell) in cells.enumerated() where index < widths.count {
            parts.append(pad(cell, to: widths[index], alignment: alignments[index]))
        }
        let text = parts.joined(separator: "  ")
        return String(text.reversed().drop(while: { $0 == " " }).reversed())
    }

    private func pad(_ text: String, to width: Int, alignment: Alignment) -> String {
        let padding = String(repeating: " ", count: max(width - text.count, 0))
        switch alignment {
        case .left: return text + padding
        case .right: return padding + text
        }
    }
}
