import FleetInventory
import Testing

@Suite("Inventory errors")
struct InventoryErrorTests {
    private func problems(_ text: String) -> [String] {
        do {
            _ = try Inventory.parse(text, file: "h.yml")
            return []
        } catch {
            return error.renderedLines
        }
    }

    @Test(
        "each error kind has its message and position",
        arguments: [
            (
                "all:\n  hosts:\n    a:\n    a:\n",
                "h.yml:4:5: error: duplicate key 'a'; it is first defined at h.yml:3:5"
            ),
            (
                "all:\n  chidren:\n    web:\n",
                "h.yml:2:3: error: unknown key 'chidren' in group 'all'; did you mean 'children'?"
            ),
            (
                "all:\n  hosts:\n    a:\n      prot: 22\n",
                "h.yml:4:7: error: unknown variable 'prot' in host 'a'; did you mean 'port'?"
            ),
            (
                "all:\n  vars:\n    become: maybe\n",
                "h.yml:3:13: error: invalid boolean 'maybe' for 'become'; use true or false"
            ),
            (
                "all:\n  vars:\n    port: 0755\n",
                "h.yml:3:11: error: invalid integer '0755' for 'port': leading zeros are not "
                    + "allowed, because YAML 1.1 reads them as octal"
            ),
            (
                "all:\n  vars:\n    connect_timeout: 2.5\n",
                "h.yml:3:22: error: invalid integer '2.5' for 'connect_timeout': expected a "
                    + "whole number"
            ),
            (
                "all:\n  vars:\n    ansible_port: 70000\n",
                "h.yml:3:19: error: 'ansible_port' must be between 1 and 65535, not 70000"
            ),
            (
                "all:\n  vars:\n    connect_timeout: 0\n",
                "h.yml:3:22: error: 'connect_timeout' must be at least 1, not 0"
            ),
            (
                "all:\n  vars:\n    become_method: su\n",
                "h.yml:3:20: error: invalid value 'su' for 'become_method'; expected one of: "
                    + "sudo, doas; did you mean 'sudo'?"
            ),
            (
                "all:\n  vars:\n    jails_root: jails\n",
                "h.yml:3:17: error: invalid value 'jails' for 'jails_root': expected an "
                    + "absolute path without '.' or '..' parts, of letters, digits and /._-+@,:"
            ),
            (
                "all:\n  vars:\n    jails_root: /var/../jails\n",
                "h.yml:3:17: error: invalid value '/var/../jails' for 'jails_root': expected an "
                    + "absolute path without '.' or '..' parts, of letters, digits and /._-+@,:"
            ),
            (
                "all:\n  vars:\n    skel_name: base-jail\n",
                "h.yml:3:16: error: invalid value 'base-jail' for 'skel_name': expected a jail "
                    + "name: 1 to 63 letters, digits or '_', not digits only"
            ),
            (
                "all:\n  vars:\n    passphrase_env: 'my secret'\n",
                "h.yml:3:21: error: invalid value 'my secret' for 'passphrase_env': expected "
                    + "an environment variable name ([A-Za-z_][A-Za-z0-9_]*)"
            ),
            (
                "all:\n  vars:\n    release_mirror: mirror.example\n",
                "h.yml:3:21: error: invalid value 'mirror.example' for 'release_mirror': "
                    + "expected an http, https, ftp or file URL such as https://host/path, "
                    + "without spaces, quotes or shell metacharacters"
            ),
            (
                "all:\n  vars:\n    release_mirror: 'http://127.0.0.1/$(reboot)'\n",
                "h.yml:3:21: error: invalid value 'http://127.0.0.1/$(reboot)' for "
                    + "'release_mirror': expected an http, https, ftp or file URL such as "
                    + "https://host/path, without spaces, quotes or shell metacharacters"
            ),
            (
                "all:\n  vars:\n    zfs_dataset: 'zroot/a;b'\n",
                "h.yml:3:18: error: invalid value 'zroot/a;b' for 'zfs_dataset': expected a ZFS "
                    + "dataset name: components of letters, digits and _-.: joined by '/'"
            ),
            (
                "all:\n  vars:\n    zfs_dataset: zroot/../jails\n",
                "h.yml:3:18: error: invalid value 'zroot/../jails' for 'zfs_dataset': expected a "
                    + "ZFS dataset name: components of letters, digits and _-.: joined by '/'"
            ),
            (
                "all:\n  vars:\n    uname_r: 14.1-STABLE\n",
                "h.yml:3:14: error: invalid value '14.1-STABLE' for 'uname_r': expected a release "
                    + "such as 14.1-RELEASE or 14.2-RC1; STABLE, CURRENT and PRERELEASE have no "
                    + "release sets or binary updates"
            ),
            (
                "all:\n  vars:\n    uname_r: latest\n",
                "h.yml:3:14: error: invalid value 'latest' for 'uname_r': expected a release "
                    + "such as 14.1-RELEASE or 14.2-RC1; STABLE, CURRENT and PRERELEASE have no "
                    + "release sets or binary updates"
            ),
            (
                "all:\n  vars: &v\n    port: 2200\n  hosts:\n    a:\n      <<: *v\n",
                "h.yml:6:7: error: YAML merge keys ('<<') are not supported, so the merged keys "
                    + "would be lost; write them out in this mapping"
            ),
            (
                "all:\n  <<: {hosts: {a: }}\n",
                "h.yml:2:3: error: YAML merge keys ('<<') are not supported, so the merged keys "
                    + "would be lost; write them out in this mapping"
            ),
            (
                "all:\n  vars:\n    user:\n",
                "h.yml:3:10: error: 'user' has no value"
            ),
            (
                "all:\n  hosts:\n    - a\n",
                "h.yml:3:5: error: expected a mapping for 'hosts', found a sequence"
            ),
            (
                "all:\n  vars:\n    port: 22\n    ansible_port: 23\n",
                "h.yml:4:5: error: 'ansible_port' sets a variable of group 'all' that is "
                    + "already set at h.yml:3:11"
            ),
            (
                "all:\n  children:\n    web:\n      hosts:\n        a:\n          port: 1\n"
                    + "    db:\n      hosts:\n        a:\n          port: 2\n",
                "h.yml:9:9: error: host 'a' is defined twice; its variables are first given at "
                    + "h.yml:5:9, so list it here without variables"
            ),
            (
                "all:\n  children:\n    web:\n      hosts:\n        a:\n      vars:\n"
                    + "        port: 1\n    db:\n      hosts:\n        a:\n      vars:\n"
                    + "        port: 2\n",
                "h.yml:5:9: error: host 'a' gets different values of 'port' from unrelated "
                    + "groups 'web' (h.yml:7:15) and 'db' (h.yml:12:15); set it on the host or "
                    + "in one group"
            ),
            (
                "all:\n  children:\n    web:\n      children:\n        all:\n",
                "h.yml:5:9: error: group 'all' contains every group and cannot be a child of "
                    + "another group"
            ),
            (
                "all:\n  hosts:\n    web:\n  children:\n    web:\n",
                "h.yml:3:5: error: 'web' is both a host and a group (defined at h.yml:5:5); "
                    + "rename one of them"
            ),
            (
                "all:\n  children:\n    a:\n      children:\n        b:\n          children:\n"
                    + "            a:\n",
                "h.yml:3:5: error: groups contain each other: a -> b -> a"
            ),
            (
                "# nothing here\n",
                "h.yml:1:1: error: the inventory is empty; expected a mapping with an 'all' group"
            ),
            (
                "all:\n  hosts:\n    'web 1':\n",
                "h.yml:3:5: error: invalid host name 'web 1': ' ' is reserved for host patterns"
            ),
            (
                "all:\n  hosts:\n    '':\n",
                "h.yml:3:5: error: the host name is empty; give it a name"
            ),
            (
                "all:\n  children:\n    '':\n",
                "h.yml:3:5: error: the group name is empty; give it a name"
            ),
            (
                "all:\n  hosts:\n    ../../x:\n",
                "h.yml:3:5: error: invalid host name '../../x': '/' would make it a path, and a "
                    + "host name becomes a file name"
            ),
            (
                "all:\n  hosts:\n    \"web\\u202E1\":\n",
                "h.yml:3:5: error: invalid host name 'web\\u{202E}1': it contains U+202E, a "
                    + "space, control or format character"
            ),
            (
                "all:\n  hosts:\n    \"web\\t1\":\n",
                "h.yml:3:5: error: invalid host name 'web\\t1': it contains U+0009, a space, "
                    + "control or format character"
            ),
            (
                "all:\n  hosts:\n    web[3:1]:\n",
                "h.yml:3:5: error: invalid host range 'web[3:1]': the start 3 is after the end 1"
            ),
            (
                "all:\n  vars:\n    port: !!str 22\n",
                "h.yml:3:11: error: tag 'tag:yaml.org,2002:str' is not supported for 'port'"
            ),
            (
                "all: [\n",
                "h.yml:2:1: error: invalid YAML: did not find expected node content (while "
                    + "parsing a flow node)"
            ),
        ])
    func errorKind(text: String, expected: String) {
        #expect(problems(text) == [expected])
    }

    @Test("every problem is reported at once")
    func collectsAll() {
        let text = """
            all:
              vars:
                port: 0755
                become: maybe
              hosts:
                a:
                  prot: 22
                a2:
                  user:
            """
        let lines = problems(text)
        #expect(lines.count == 4)
        #expect(
            lines.map { $0.prefix(10) } == ["h.yml:3:11", "h.yml:4:13", "h.yml:7:7:", "h.yml:9:12"])
    }

    @Test("unreadable file is reported")
    func unreadable() {
        #expect(throws: InventoryProblems.self) {
            try Inventory.load(path: "/nonexistent/hosts.yml")
        }
        do {
            _ = try Inventory.load(path: "/nonexistent/hosts.yml")
        } catch {
            #expect(error.isUnreadableFile)
            #expect(
                error.renderedLines == ["error: cannot read the file: No such file or directory"])
        }
    }
}
