import FleetCLI

#if canImport(Glibc)
    import Glibc
#endif

exit(await CLI.main(Array(CommandLine.arguments.dropFirst())))
