extension PlaybookProblem.Kind {
    /// The sentence a user reads, without position or severity.
    public var message: String {
        switch self {
        case .yaml(let kind):
            return kind.message
        case .emptyPlaybook:
            return "the playbook is empty; expected a list of plays"
        case .notAList(let found):
            return "expected a list of plays, found \(found); start each play with '- name:'"
        case .missingKey(let key, let owner):
            return "\(owner) is missing the required key '\(key)'"
        case .noTasks(let play):
            return "\(play) has no tasks; 'tasks' needs at least one"
        case .noOperation(let task):
            return "\(task) has no operation; expected one of: "
                + TaskOperation.allCases.map(\.key).joined(separator: ", ")
        case .twoOperations(let task, let first, let second):
            return "\(task) has a second operation '\(second)' after '\(first)'; "
                + "a task runs one operation, so split it into two tasks"
        case .invalidSerial(let text, let reason):
            return "invalid batch size '\(text)' in 'serial': \(reason)"
        case .emptySerial:
            return "'serial' is an empty list; give at least one count or percentage"
        case .invalidHostPattern(let error):
            return "invalid 'hosts': \(error.message)"
        case .unmatchedHostPattern(let play, let error):
            return "'hosts' of \(play) selects nothing in the inventory: \(error.message)"
        case .unknownVariable(let key, let play, let suggestion):
            let base = "unknown variable '\(key)' in 'vars' of \(play)"
            guard let suggestion else { return base }
            return base + "; did you mean '\(suggestion)'?"
        case .variableSetTwice(let key, let play, let first):
            return "'\(key)' sets a variable in 'vars' of \(play) that is already set at \(first)"
        case .invalidJailName(let error):
            return error.description
        case .invalidRelease(let text, let problem):
            return "invalid release '\(text)' for 'skel_upgrade': \(problem.reason)"
        case .emptyCommand(let operation):
            return "'command' of '\(operation)' is empty; give the program and its arguments "
                + "as a list, such as [service, sshd, status]"
        case .deleteNotConfirmed:
            return "'jail_delete' needs 'confirm: true', the playbook form of --yes, because it "
                + "destroys the jail and its dataset"
        }
    }
}
