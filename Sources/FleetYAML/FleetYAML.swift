// Module FleetYAML.
