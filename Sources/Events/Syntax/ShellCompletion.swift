/// Shell completion scripts made from the command specs: the commands (a group's second word
/// after its first), each command's options, and files or directories for options that take a
/// path. Made, not written, so they cannot drift from what the program parses.
public enum ShellCompletion {
    /// Whether an option's value names a file or directory (completed from the file system).
    static func takesPath(_ option: OptionSpec) -> Bool {
        guard let value = option.value else { return false }
        return ["FILE", "DIR", "PATH", "HASH_OR_FILE"].contains(value)
    }

    /// A bash completion for `program`: `commands` are its subcommands (empty for a program
    /// with options only, whose options are `options`).
    public static func bash(program: String, commands: [CommandSpec], options: [OptionSpec] = []) -> String {
        let function = "_" + program.replacingHyphens()
        var out = "# bash completion for \(program), made by `\(program)` from its command specs.\n"
        out += "\(function)() {\n"
        out += "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"\"\n"
        out += "    (( COMP_CWORD > 0 )) && prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
        if commands.isEmpty {
            out += valueCase(options)
            out += "    COMPREPLY=( $(compgen -W \"\(optionWords(options))\" -- \"$cur\") )\n}\n"
            out += "complete -F \(function) \(program)\n"
            return out
        }
        // The command: the first words that are not options.
        out += "    local -a words=()\n    local i\n"
        out += "    for (( i = 1; i < COMP_CWORD; i++ )); do\n"
        out += "        case \"${COMP_WORDS[i]}\" in -*) ;; *) words+=(\"${COMP_WORDS[i]}\") ;; esac\n"
        out += "    done\n"
        let firsts = orderedUnique(commands.map { $0.words[0] })
        out += "    if (( ${#words[@]} == 0 )); then\n"
        out += "        COMPREPLY=( $(compgen -W \"\(firsts.joined(separator: " ")) help\" -- \"$cur\") )\n        return\n    fi\n"
        let groups = orderedUnique(commands.filter { $0.words.count > 1 }.map { $0.words[0] })
        if !groups.isEmpty {
            out += "    case \"${words[0]}\" in\n"
            for group in groups {
                let seconds = commands.filter { $0.words.count > 1 && $0.words[0] == group }.map { $0.words[1] }
                out += "        \(group))\n            if (( ${#words[@]} == 1 )); then\n"
                out += "                COMPREPLY=( $(compgen -W \"\(seconds.joined(separator: " "))\" -- \"$cur\") )\n                return\n"
                out += "            fi ;;\n"
            }
            out += "    esac\n"
        }
        out += "    local command=\"${words[0]}\"\n"
        if !groups.isEmpty {
            out += "    case \"${words[0]}\" in \(groups.joined(separator: "|"))) command=\"${words[0]} ${words[1]}\" ;; esac\n"
        }
        out += "    case \"$command\" in\n"
        for command in commands {
            out += "        \"\(command.name)\")\n"
            out += valueCase(command.options, indent: "            ")
            out += "            COMPREPLY=( $(compgen -W \"\(optionWords(command.options + options))\" -- \"$cur\") )\n"
            if !command.positionals.isEmpty && command.positionals.contains(where: { $0.name.contains("FILE") || $0.name.contains("DIR") }) {
                out += "            [[ \"$cur\" != -* ]] && COMPREPLY+=( $(compgen -f -- \"$cur\") )\n"
            }
            out += "            ;;\n"
        }
        out += "    esac\n}\n"
        out += "complete -F \(function) \(program)\n"
        return out
    }

    /// A zsh completion for `program` (`#compdef`): commands with their summaries, options
    /// with their help, files for paths.
    public static func zsh(program: String, commands: [CommandSpec], options: [OptionSpec] = []) -> String {
        let function = "_" + program.replacingHyphens()
        var out = "#compdef \(program)\n# zsh completion for \(program), made by `\(program)` from its command specs.\n\n"
        out += "\(function)() {\n"
        if commands.isEmpty {
            out += "    _arguments -s \\\n" + options.map { "        \(zshOption($0))" }.joined(separator: " \\\n") + "\n}\n\n\(function) \"$@\"\n"
            return out
        }
        out += "    local -a words_=(${words[2,CURRENT-1]:#-*})\n"
        let firsts = orderedUnique(commands.map { $0.words[0] })
        out += "    if (( ${#words_} == 0 )); then\n        local -a commands=(\n"
        for first in firsts {
            let spec = commands.first { $0.words[0] == first }!
            let summary = spec.words.count > 1 ? "\(first) commands" : spec.summary
            out += "            \(zshQuote(first + ":" + summary))\n"
        }
        out += "            'help:show the help of a command'\n        )\n        _describe -t commands 'command' commands\n        return\n    fi\n"
        out += "    local command=${words_[1]}\n"
        let groups = orderedUnique(commands.filter { $0.words.count > 1 }.map { $0.words[0] })
        if !groups.isEmpty {
            out += "    case $command in\n"
            for group in groups {
                out += "        \(group))\n            if (( ${#words_} == 1 )); then\n                local -a sub=(\n"
                for spec in commands where spec.words.count > 1 && spec.words[0] == group {
                    out += "                    \(zshQuote(spec.words[1] + ":" + spec.summary))\n"
                }
                out += "                )\n                _describe -t commands '\(group) command' sub\n                return\n            fi\n"
                out += "            command=\"$command ${words_[2]}\" ;;\n"
            }
            out += "    esac\n"
        }
        out += "    case $command in\n"
        for command in commands {
            out += "        \(zshQuote(command.name)))\n            _arguments -s \\\n"
            out += (command.options + options).map { "                \(zshOption($0))" }.joined(separator: " \\\n")
            out += " \\\n                '*:argument:_files' ;;\n"
        }
        out += "    esac\n}\n\n\(function) \"$@\"\n"
        return out
    }

    private static func optionWords(_ options: [OptionSpec]) -> String {
        (options.map { "--" + $0.name } + ["--help"]).joined(separator: " ")
    }

    /// After an option that takes a path, files (or directories); after another that takes a
    /// value, nothing to propose.
    private static func valueCase(_ options: [OptionSpec], indent: String = "    ") -> String {
        let paths = options.filter(takesPath)
        let values = options.filter { $0.value != nil && !takesPath($0) }
        guard !paths.isEmpty || !values.isEmpty else { return "" }
        var out = "\(indent)case \"$prev\" in\n"
        for option in paths {
            out += "\(indent)    --\(option.name)) COMPREPLY=( $(compgen -\(option.value == "DIR" ? "d" : "f") -- \"$cur\") ); return ;;\n"
        }
        if !values.isEmpty {
            out += "\(indent)    \(values.map { "--" + $0.name }.joined(separator: "|"))) return ;;\n"
        }
        return out + "\(indent)esac\n"
    }

    private static func zshOption(_ option: OptionSpec) -> String {
        let help = option.help.replacingBrackets()
        guard let value = option.value else { return zshQuote("--\(option.name)[\(help)]") }
        let action = takesPath(option) ? (value == "DIR" ? "_directories" : "_files") : " "
        return zshQuote("--\(option.name)[\(help)]:\(value.lowercased()):\(action)")
    }

    /// Single-quoted for zsh.
    private static func zshQuote(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    private static func orderedUnique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}

private extension String {
    func replacingHyphens() -> String { String(map { $0 == "-" ? "_" : $0 }) }
    /// Brackets and colons have meanings in zsh's option descriptions.
    func replacingBrackets() -> String {
        String(map { $0 == "[" ? "(" : $0 == "]" ? ")" : $0 == ":" ? "," : $0 })
    }
}
