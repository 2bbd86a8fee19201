// Module FleetJails.
