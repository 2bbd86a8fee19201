/// Runs a multi-line `sh` script on a host whatever the login user's shell.
///
/// sshd runs every command line through the login shell, which on FreeBSD before 14.0 is
/// csh for root. csh rejects a newline inside quotes ("Unmatched '.") and expands `!`
/// even in `csh -c`, so `/bin/sh -c 'SCRIPT'` fails there for most scripts. The script
/// therefore travels on the command's stdin, and the command line has no newline or `!`.
///
/// That costs one round trip per script: OpenSSH's sshd gives a session channel no window
/// until its command has started, so the script can only follow the reply to "exec".
public enum RemoteScript {
    /// The command line: sh reads its whole stdin and runs it with `eval`. `exec` keeps
    /// the login shell's pid for sh, so sh stays a child of the connection's sshd process.
    /// The script's own commands find stdin at EOF, as every command does.
    public static let commandLine = "exec /bin/sh -c 'eval \"$(cat)\"'"

    /// Returns the bytes to write to the command's stdin for `script`.
    public static func input(_ script: String) -> [UInt8] {
        Array(script.utf8)
    }
}
