import FleetJails
import Testing

@Suite("freebsd-update output classification")
struct FreeBSDUpdateOutputTests {
    static let fetchWithWork = """
        Looking up update.FreeBSD.org mirrors... 3 mirrors found.
        Fetching public key from update1.freebsd.org... done.
        Fetching metadata signature for 14.1-RELEASE from update1.freebsd.org... done.
        Fetching metadata index... done.
        Inspecting system... done.
        Preparing to download files... done.
        Fetching 12 patches.....10.. done.
        Applying patches... done.
        The following files will be updated as part of updating to
        14.1-RELEASE-p6:
        /bin/sh
        """

    @Test(
        "classify",
        arguments: [
            (0, fetchWithWork, FreeBSDUpdateOutcome.updated),
            (0, "\nNo updates needed to update system to 14.1-RELEASE-p6.\n", .nothingToDo),
            (0, "Installing updates... done.\n", .updated),
            (
                0,
                "Installing updates... done.\nNo updates are available to install.\n"
                    + "Run '/usr/sbin/freebsd-update fetch' first.\n", .updated
            ),
            (0, "No updates are available to install.\n", .nothingToDo),
            (
                2,
                "No updates are available to install.\nRun '/usr/sbin/freebsd-update fetch' first.\n",
                .nothingToDo
            ),
            (
                0,
                "Kernel updates have been installed.  Please reboot and run\n"
                    + "'/usr/sbin/freebsd-update install' again to finish installing updates.\n",
                .updated
            ),
            (
                1,
                "freebsd-update fetch should not be run non-interactively.\n"
                    + "Run freebsd-update cron instead.\n",
                .refused("freebsd-update fetch should not be run non-interactively.")
            ),
            (
                1,
                "You have a partially completed upgrade pending\n"
                    + "Run '/usr/sbin/freebsd-update install' first.\n"
                    + "Run '/usr/sbin/freebsd-update fetch -F' to proceed anyway.\n",
                .partialPending
            ),
            (
                1,
                "freebsd-update: Cannot upgrade from a version that is not a release\n"
                    + "(including alpha, beta and release candidates)\nCurrently running: 14.2-STABLE\n",
                .failed("freebsd-update: Cannot upgrade from a version that is not a release")
            ),
            (
                1,
                fetchWithWork + "\nWARNING: FreeBSD 13.2-RELEASE HAS PASSED ITS END-OF-LIFE DATE.\n"
                    + "Any security issues discovered after Wed Jun 30 2024\nwill not have been corrected.\n",
                .failed("WARNING: FreeBSD 13.2-RELEASE HAS PASSED ITS END-OF-LIFE DATE.")
            ),
            (
                1,
                "Looking up update.FreeBSD.org mirrors... none found.\n"
                    + "Fetching public key from update.FreeBSD.org... failed.\n"
                    + "No mirrors remaining, giving up.\n",
                .failed("No mirrors remaining, giving up.")
            ),
            (
                1, "freebsd-update: Cannot upgrade from 14.2-RELEASE to itself\n",
                .failed("freebsd-update: Cannot upgrade from 14.2-RELEASE to itself")
            ),
            (1, "", .failed("freebsd-update exited with status 1 and no output")),
            (3, "something odd\n\n", .failed("something odd")),
        ] as [(Int32, String, FreeBSDUpdateOutcome)])
    func classify(status: Int32, output: String, outcome: FreeBSDUpdateOutcome) {
        #expect(FreeBSDUpdateOutput.classify(exitStatus: status, output: output) == outcome)
    }
}
