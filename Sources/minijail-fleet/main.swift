import FleetCLI

#if canImport(Glibc)
    import CMalloc
    import Glibc

    // glibc gives threads their own malloc arenas, up to 8 per core, and each keeps the memory
    // its thread freed. With one thread per host in flight, that added about a third to the
    // peak of output-heavy runs. Two arenas measured lowest, at no cost in time.
    mallopt(M_ARENA_MAX, 2)

    // Each host in flight uses a socket, a wake pipe and up to two output spool files.
    // `exec --group` also keeps the spools of every finished host until the end. The soft limit
    // on open files (often 1024) would stop a large run, so it is raised to the hard limit.
    var openFiles = rlimit()
    if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &openFiles) == 0,
        openFiles.rlim_cur < openFiles.rlim_max
    {
        openFiles.rlim_cur = openFiles.rlim_max
        _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &openFiles)
    }
#endif

exit(await CLI.main(Array(CommandLine.arguments.dropFirst())))
