import CSQLite

/// An open SQLite database; every SQLite call of the project goes through this file.
final class SQLiteDatabase {
    private let handle: OpaquePointer
    /// The file it was opened from, for error messages.
    let path: String

    /// Opens or creates the database at `path` with sqlite3_open_v2.
    init(path: String) throws(ReportHistoryError) {
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(opened)
            throw ReportHistoryError(
                path: path, call: "sqlite3_open_v2", code: code, message: message)
        }
        handle = opened
        self.path = path
        sqlite3_busy_timeout(handle, 5000)
    }

    deinit {
        sqlite3_close(handle)
    }

    /// Runs `sql`, which may hold several statements and binds nothing, with sqlite3_exec.
    func execute(_ sql: String) throws(ReportHistoryError) {
        var errorText: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorText)
        if code != SQLITE_OK {
            let message = errorText.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(errorText)
            throw ReportHistoryError(path: path, call: "sqlite3_exec", code: code, message: message)
        }
    }

    /// Runs one statement with `values` bound to its `?` parameters and returns every row.
    @discardableResult
    func query(_ sql: String, _ values: [SQLiteValue] = []) throws(ReportHistoryError)
        -> [[SQLiteValue]]
    {
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v2(handle, sql, -1, &statement, nil), "sqlite3_prepare_v2")
        defer { sqlite3_finalize(statement) }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null:
                try check(sqlite3_bind_null(statement, index), "sqlite3_bind_null")
            case .integer(let number):
                try check(sqlite3_bind_int64(statement, index, number), "sqlite3_bind_int64")
            case .text(let text):
                try check(
                    sqlite3_bind_text(statement, index, text, -1, transientDestructor),
                    "sqlite3_bind_text")
            }
        }
        var rows: [[SQLiteValue]] = []
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw ReportHistoryError(
                    path: path, call: "sqlite3_step", code: code, message: lastMessage)
            }
            var row: [SQLiteValue] = []
            for column in 0..<sqlite3_column_count(statement) {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_NULL:
                    row.append(.null)
                case SQLITE_INTEGER:
                    row.append(.integer(sqlite3_column_int64(statement, column)))
                default:
                    row.append(.text(String(cString: sqlite3_column_text(statement, column))))
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// The rowid of the last INSERT, from sqlite3_last_insert_rowid.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    private var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    private func check(_ code: Int32, _ call: String) throws(ReportHistoryError) {
        guard code == SQLITE_OK else {
            throw ReportHistoryError(path: path, call: call, code: code, message: lastMessage)
        }
    }
}

/// SQLite copies bound text at once when given this destructor (SQLITE_TRANSIENT, which is
/// a C macro Swift cannot import).
private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite column value, in the three storage classes the history uses.
enum SQLiteValue: Equatable {
    case null
    case integer(Int64)
    case text(String)

    /// The text, or nil for other classes.
    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The integer, or nil for other classes.
    var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// `.text` for a value, `.null` for nil.
    static func optional(_ value: String?) -> SQLiteValue {
        value.map { .text($0) } ?? .null
    }
}

/// A history database that could not be opened, read or written.
public struct ReportHistoryError: Error, Sendable, CustomStringConvertible {
    /// The database file.
    public let path: String
    /// The SQLite function that failed.
    public let call: String
    /// Its result code.
    public let code: Int32
    /// SQLite's own message.
    public let message: String

    /// The message, e.g. `report history 'h.db': sqlite3_open_v2 failed (14): unable to open`.
    public var description: String {
        "report history '\(path)': \(call) failed (\(code)): \(message)"
    }
}
