// Module FleetSSH.
