"""jail.conf(5) parser: blocks, `*`, globals, += lists, booleans, $name and ${name} expansion, comments."""

import glob
import os
import re


class ConfError(Exception):
    pass


TOKEN = re.compile(r'''
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*|//[^\n]*|/\*.*?\*/)
  | (?P<dq>"(?:[^"\\]|\\.)*")
  | (?P<sq>'[^']*')
  | (?P<op>\+=|[{};=,])
  | (?P<word>[^\s{};=,"'#]+(?:/(?!/)[^\s{};=,"'#]*)*)
''', re.X | re.S)


def tokenize(text, path):
    tokens = []
    pos = 0
    line = 1
    joined = False
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise ConfError("%s line %d: syntax error" % (path, line))
        kind = m.lastgroup
        value = m.group(0)
        if kind in ("ws", "comment"):
            joined = False
        elif kind == "op":
            tokens.append(("op", value, line, False))
            joined = False
        else:
            if kind == "dq":
                body = re.sub(r"\\(.)", lambda e: {"n": "\n", "t": "\t"}.get(e.group(1), e.group(1)), value[1:-1])
                tokens.append(("str", body, line, joined, True))
            elif kind == "sq":
                tokens.append(("str", value[1:-1], line, joined, False))
            else:
                tokens.append(("str", value, line, joined, True))
            joined = True
        line += value.count("\n")
        pos = m.end()
    return tokens


def parse(path, seen=None):
    """Returns a list of (jail name or '*', parameter, operator, [value parts]) in file order."""
    with open(path) as f:
        text = f.read()
    tokens = tokenize(text, path)
    statements = []
    block = None
    i = 0

    def value_parts(i):
        parts = []
        while i < len(tokens) and tokens[i][0] == "str":
            piece = [(tokens[i][1], tokens[i][4])]
            i += 1
            while i < len(tokens) and tokens[i][0] == "str" and tokens[i][3]:
                piece.append((tokens[i][1], tokens[i][4]))
                i += 1
            parts.append(piece)
            if i < len(tokens) and tokens[i][:2] == ("op", ","):
                i += 1
                continue
            break
        return parts, i

    while i < len(tokens):
        tok = tokens[i]
        if tok[0] == "op" and tok[1] == "}" and block is not None:
            block = None
            i += 1
            continue
        if tok[0] != "str":
            raise ConfError("%s line %d: syntax error" % (path, tok[2]))
        name = tok[1]
        if name == ".include":
            parts, i = value_parts(i + 1)
            if i >= len(tokens) or tokens[i][1] != ";":
                raise ConfError("%s line %d: syntax error" % (path, tok[2]))
            i += 1
            pattern = "".join(p for p, _ in parts[0]) if parts else ""
            for included in sorted(glob.glob(os.path.join(os.path.dirname(path), pattern))):
                statements.extend(parse(included))
            continue
        i += 1
        if i < len(tokens) and tokens[i][:2] == ("op", "{"):
            if block is not None:
                raise ConfError("%s line %d: syntax error" % (path, tok[2]))
            block = name
            i += 1
            continue
        if i < len(tokens) and tokens[i][0] == "op" and tokens[i][1] in ("=", "+="):
            op = tokens[i][1]
            parts, i = value_parts(i + 1)
        else:
            op = "bool"
            parts = []
        if i >= len(tokens) or tokens[i][:2] != ("op", ";"):
            raise ConfError("%s line %d: syntax error" % (path, tokens[min(i, len(tokens) - 1)][2]))
        i += 1
        statements.append((block or "*", name, op, parts, tok[2]))
    if block is not None:
        raise ConfError("%s: syntax error, unexpected end of file" % path)
    return statements


def jail_names(statements):
    return list(dict.fromkeys(s[0] for s in statements if s[0] != "*"))


def params_for(statements, name):
    """Collects one jail's parameters (globals first, then its block) and expands variables."""
    params = {}
    variables = {}
    for block, key, op, parts, _ in statements:
        if block not in ("*", name):
            continue
        if key.startswith("$"):
            variables[key[1:]] = parts
            continue
        if op == "bool":
            base = key.split(".")[-1]
            if base.startswith("no") and len(base) > 2:
                prefix = key[: len(key) - len(base)]
                params[prefix + base[2:]] = [[("false", False)]]
            else:
                params[key] = [[("true", False)]]
        elif op == "=":
            params[key] = list(parts)
        else:
            params[key] = params.get(key, []) + list(parts)
    params["name"] = [[(name, False)]]
    expanded = {}

    def expand(key, depth=0):
        if key in expanded:
            return expanded[key]
        if depth > 20:
            raise ConfError("%s: variable loop in %s" % (name, key))
        source = params.get(key) if key in params else variables.get(key)
        if source is None:
            raise ConfError('%s: unknown parameter "%s"' % (name, key))
        values = []
        for piece in source:
            text = ""
            for chunk, expandable in piece:
                text += substitute(chunk, depth) if expandable else chunk
            values.append(text)
        expanded[key] = values
        return values

    def substitute(chunk, depth):
        def one(m):
            var = m.group(1) or m.group(2)
            return " ".join(expand(var, depth + 1))
        return re.sub(r"\$\{([A-Za-z0-9_.]+)\}|\$([A-Za-z0-9_]+)", one, chunk)

    return {key: expand(key) for key in params}
